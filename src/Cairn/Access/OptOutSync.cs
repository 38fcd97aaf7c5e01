using Cairn.Storage;

namespace Cairn.Access;

/// <summary>Loads the opted-out players before ingest starts, then refreshes them (for changes made by other processes).</summary>
internal sealed class OptOutSync(IEventStore store, OptOuts optOuts, Identity.PlayerKeys keys, ILogger<OptOutSync> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        optOuts.Replace(await store.ListOptedOutAsync(cancellationToken), keys);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    optOuts.Replace(await store.ListOptedOutAsync(stoppingToken), keys);
                }
                catch (Exception ex) when (ex is StoreUnavailableException or System.Data.Common.DbException)
                {
                    Log.OptOutRefreshFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
