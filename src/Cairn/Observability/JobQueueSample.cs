using Cairn.Storage;

namespace Cairn.Observability;

/// <summary>
/// The job queue as the store last reported it, for the job gauges. Refreshed before each scrape of <c>/metrics</c>
/// (the store is asked only when someone scrapes); when the store does not answer in time the previous figures stay.
/// </summary>
internal sealed class JobQueueSample(IEventStore store, TimeProvider time, ILogger<JobQueueSample> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private volatile Snapshot _last = new(new JobCounts(0, 0, 0), null);

    private sealed record Snapshot(JobCounts Counts, DateTimeOffset? OldestPending);

    public long Queued => _last.Counts.Pending;

    public long Leased => _last.Counts.Leased;

    public long Dead => _last.Counts.Dead;

    /// <summary>How long the oldest job that is due (run_after passed, not leased) has been waiting; 0 when none is due.</summary>
    public double OldestDueAgeSeconds =>
        _last.OldestPending is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var counts = await store.CountJobsAsync(timeout.Token);
            _last = new Snapshot(counts, counts.OldestPending);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.JobSampleFailed(logger, ex.GetType().Name);
        }
    }
}
