using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Ingest;

/// <summary>
/// The background trim of the quarantine inside <c>cairn serve</c>: at start-up, then every
/// <see cref="StorageOptions.RejectedTrimPeriodMinutes"/>, rejected events older than
/// <see cref="StorageOptions.MaxRejectedAgeDays"/> and those beyond the per-org and per-game caps are deleted.
/// A failed trim is logged, reported by <c>/health/ready</c>, and tried again a minute later; it never stops the service.
/// </summary>
internal sealed class QuarantineTrimmer(
    IEventLog store, IOptions<StorageOptions> options, TimeProvider time, Hosting.BackgroundHealth health, ILogger<QuarantineTrimmer> logger)
    : BackgroundService
{
    public const string ComponentName = "quarantine-trim";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.RejectedTrimPeriodMinutes <= 0)
        {
            return;
        }
        var period = TimeSpan.FromMinutes(settings.RejectedTrimPeriodMinutes);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = period;
                try
                {
                    var deleted = await store.TrimRejectedAsync(time.GetUtcNow().AddDays(-settings.MaxRejectedAgeDays), stoppingToken);
                    if (deleted > 0)
                    {
                        Log.QuarantineTrimmed(logger, deleted, settings.MaxRejectedAgeDays);
                    }
                    health.Succeeded(ComponentName);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    health.Failed(ComponentName, ex);
                    Log.QuarantineTrimFailed(logger, ex);
                    next = RetryDelay < period ? RetryDelay : period;
                }
                await Task.Delay(next, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
