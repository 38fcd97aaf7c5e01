using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>Applies schema migrations before anything else starts, so readiness means "migrated".</summary>
internal sealed class StoreMigrator(IStoreSchema store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
