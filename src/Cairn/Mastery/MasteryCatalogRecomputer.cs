using Cairn.Catalogs;
using Cairn.Jobs;
using Cairn.Mastery.Storage;

namespace Cairn.Mastery;

/// <summary>
/// Keeps mastery rows in line with their game's catalog: at start-up and after every reload, each row computed with
/// catalog or default parameters (<c>catalog:HASH</c>, <c>default</c>) other than the ones its standard resolves to
/// now is queued for a recompute. Rows computed with fitted parameters (<c>fit:N</c>) are left alone: a fit requeues
/// its own. Games without a catalog are not looked at. A failure is reported to <c>/health/ready</c> and retried.
/// </summary>
internal sealed class MasteryCatalogRecomputer(
    CatalogRegistry catalogs, IMasteryStore store, JobSignal signal, TimeProvider time, Hosting.BackgroundHealth health, ILogger<MasteryCatalogRecomputer> logger)
    : Hosting.ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "mastery-catalog-recompute";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        catalogs.Reloaded += OnReloaded;
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
                    Log.RecomputeFailed(logger, ex);
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
        foreach (var catalog in set.Games.Values)
        {
            var settings = catalog.Mastery;
            var count = 0;
            // Standards with their own settings resolve to their own version; every other standard to the game's.
            foreach (var standard in settings.Standards.Keys)
            {
                count += await store.EnqueueStaleAsync(catalog.Game, standard, [], MasteryProjection.VersionOf(settings, standard), time.GetUtcNow(), cancellationToken);
            }
            count += await store.EnqueueStaleAsync(catalog.Game, null, [.. settings.Standards.Keys], MasteryProjection.VersionOf(settings, null), time.GetUtcNow(), cancellationToken);
            if (count > 0)
            {
                Log.RecomputesQueued(logger, count, catalog.Game);
                queued += count;
            }
        }
        if (queued > 0)
        {
            signal.Notify();
        }
    }
}
