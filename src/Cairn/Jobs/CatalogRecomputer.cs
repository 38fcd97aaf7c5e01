using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Jobs;

/// <summary>
/// Loads the catalogs at start-up and keeps rows in line with their rules: whenever a rule's version differs
/// from the one a row was computed with (at start-up, or after a reload), the row is queued for a recompute.
/// </summary>
internal sealed class CatalogRecomputer(CatalogRegistry catalogs, IEventStore store, JobSignal signal, TimeProvider time, ILogger<CatalogRecomputer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        catalogs.Reloaded += OnReloaded;
        if (catalogs.Current.Games.Count == 0)
        {
            catalogs.Reload();
        }
        await QueueStaleAsync(catalogs.Current, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        catalogs.Reloaded -= OnReloaded;
        return Task.CompletedTask;
    }

    private void OnReloaded(CatalogSet old, CatalogSet next) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await QueueStaleAsync(next, CancellationToken.None);
            }
            catch (StoreUnavailableException ex)
            {
                Log.WorkerStoreError(logger, "catalog-recompute", ex);
            }
        });

    private async Task QueueStaleAsync(CatalogSet set, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var catalog in set.Games.Values)
        {
            foreach (var point in catalog.Points)
            {
                var count = await store.EnqueueStaleRecomputesAsync(catalog.Game, point.Id, point.Version, time.GetUtcNow(), cancellationToken);
                if (count > 0)
                {
                    Log.RecomputesQueued(logger, count, point.Id, catalog.Game);
                    queued += count;
                }
            }
        }
        if (queued > 0)
        {
            signal.Notify();
        }
    }
}
