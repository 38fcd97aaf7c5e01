using Cairn.Hosting;
using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Access;

/// <summary>
/// Loads the opted-out players before ingest starts, then refreshes them (for changes made by other processes).
/// A failed load never stops the start or the service: it is logged, reported by <c>/health/ready</c>, and tried again;
/// until a first load succeeds ingest answers 503 (see <see cref="OptOuts.IsLoaded"/>).
/// </summary>
internal sealed class OptOutSync(
    IPlayerDirectory store, OptOuts optOuts, Identity.PlayerKeys keys, IOptions<AccessOptions> options, BackgroundHealth health, ILogger<OptOutSync> logger)
    : ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "opt-out-sync";

    private TimeSpan Period => TimeSpan.FromSeconds(options.Value.OptOutRefreshSeconds);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            // After a failure, try again sooner than the period (with backoff), above all before a first load.
            failures = Health.IsFailing(Component) ? failures + 1 : 0;
            var wait = failures == 0 ? Period : Min(Period, Backoff(failures));
            await Task.Delay(wait, stoppingToken);
            await RefreshAsync(stoppingToken);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            optOuts.Replace(await store.ListOptedOutAsync(cancellationToken), keys);
            Succeeded();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
            Log.OptOutRefreshFailed(logger, ex);
        }
    }
}
