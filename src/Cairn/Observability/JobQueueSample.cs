using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Observability;

/// <summary>
/// The job queue per projection as the store last reported it, for the job gauges. Refreshed before each scrape of
/// <c>/metrics</c> (the store is asked only when someone scrapes); when the store does not answer in time the previous
/// figures stay. Every registered projection has figures (zeros when it has no job).
/// </summary>
internal sealed class JobQueueSample(IJobQueue store, ProjectionSet projections, TimeProvider time, ILogger<JobQueueSample> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly JobCounts None = new(0, 0, 0);
    private volatile IReadOnlyDictionary<string, JobCounts> _last = new Dictionary<string, JobCounts>();

    /// <summary>The figures of each registered projection (and of any other the store still holds jobs of).</summary>
    public IEnumerable<(string Projection, JobCounts Counts)> Projections()
    {
        var last = _last;
        return projections.Names.Concat(last.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => (name, last.GetValueOrDefault(name) ?? None));
    }

    /// <summary>How long the oldest job that is due (run_after passed, not leased) has been waiting; 0 when none is due.</summary>
    public double OldestDueAgeSeconds(JobCounts counts) =>
        counts.OldestPending is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            _last = await store.CountJobsByProjectionAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.JobSampleFailed(logger, ex.GetType().Name);
        }
    }
}
