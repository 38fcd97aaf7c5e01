using Cairn.Access;
using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Privacy;

/// <summary>The scheduled retention purge inside <c>cairn serve</c>: once at start-up, then every period.</summary>
/// <remarks>A failed purge is logged, reported by <c>/health/ready</c>, and tried again with backoff.</remarks>
internal sealed class PurgeService(
    IPrivacyStore store, IOptions<RetentionOptions> options, TimeProvider time, Hosting.BackgroundHealth health, ILogger<PurgeService> logger)
    : Hosting.ResilientService(ComponentName, health, logger)
{
    public const string ComponentName = "retention-purge";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PeriodHours <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromHours(options.Value.PeriodHours), time);
        do
        {
            // A failure escapes to ResilientService: logged, reported, and this run starts again (purging at once) after a backoff.
            foreach (var (rule, deleted) in await Retention.PurgeAsync(store, options.Value, time.GetUtcNow(), stoppingToken))
            {
                if (deleted > 0)
                {
                    Log.Purged(logger, deleted, rule.PrivacyLevel, rule.OlderThan, rule.OrgId ?? "all other orgs");
                }
            }
            Succeeded();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
