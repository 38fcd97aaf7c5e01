using Cairn.Catalogs;

namespace Cairn.Jobs;

/// <summary>
/// Loads the catalogs at start-up and keeps every projection's rows in line with their rules: at start-up and after each
/// reload, each registered <see cref="Projections.ICatalogStaleRows"/> queues the rows computed with another rule version.
/// The catalogs load during start-up (before ingest); the stale rows are queued in the background, so neither a store
/// hiccup nor odd data stops the start: a failure is logged, reported by <c>/health/ready</c>, and retried with backoff.
/// </summary>
internal sealed class CatalogRecomputer(
    CatalogRegistry catalogs, IEnumerable<Projections.ICatalogStaleRows> projections, JobSignal signal, TimeProvider time, Hosting.BackgroundHealth health, ILogger<CatalogRecomputer> logger)
    : Hosting.ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "catalog-recompute";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        catalogs.Reloaded += OnReloaded;
        if (catalogs.Current.Games.Count == 0)
        {
            catalogs.Reload();
        }
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        catalogs.Reloaded -= OnReloaded;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        await QueueStaleAsync(catalogs.Current, stoppingToken);
        Succeeded();
    }

    private void OnReloaded(CatalogSet old, CatalogSet next) =>
        _ = Task.Run(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await QueueStaleAsync(next, CancellationToken.None);
                    Succeeded();
                    return;
                }
                catch (Exception ex)
                {
                    Failed(ex);
                    Log.WorkerStoreError(logger, ComponentName, ex);
                    if (!ReferenceEquals(catalogs.Current, next))
                    {
                        return; // A newer reload queues its own recomputes.
                    }
                    await Task.Delay(Backoff(attempt));
                }
            }
        });

    private async Task QueueStaleAsync(CatalogSet set, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var projection in projections)
        {
            var count = await projection.QueueStaleAsync(set, time.GetUtcNow(), cancellationToken);
            if (count > 0)
            {
                Log.RecomputesQueued(logger, count, projection.Projection);
                queued += count;
            }
        }
        if (queued > 0)
        {
            signal.Notify();
        }
    }
}
