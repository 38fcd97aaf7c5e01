using Cairn.Access;
using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Privacy;

/// <summary>The scheduled retention purge inside <c>cairn serve</c>: once at start-up, then every period.</summary>
internal sealed class PurgeService(IEventStore store, IOptions<RetentionOptions> options, TimeProvider time, ILogger<PurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PeriodHours <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromHours(options.Value.PeriodHours), time);
        try
        {
            do
            {
                try
                {
                    foreach (var (rule, deleted) in await Retention.PurgeAsync(store, options.Value, time.GetUtcNow(), stoppingToken))
                    {
                        if (deleted > 0)
                        {
                            Log.Purged(logger, deleted, rule.PrivacyLevel, rule.OlderThan, rule.OrgId ?? "all other orgs");
                        }
                    }
                }
                catch (StoreUnavailableException ex)
                {
                    Log.PurgeFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
