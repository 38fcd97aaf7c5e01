using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Jobs;

/// <summary>
/// Claims jobs, runs the handler for each, and records success (with its result), a retry with exponential
/// backoff and jitter, or a dead letter after <see cref="JobOptions.MaxAttempts"/>. The results of one claim are
/// stored in one transaction, then the live streams are told.
/// </summary>
internal sealed class JobRunner(
    IJobQueue store, Projections.ProjectionSet projections, IOptions<JobOptions> options, TimeProvider time, ILogger<JobRunner> logger,
    Dashboard.ProgressFeed? feed = null, Observability.CairnMetrics? metrics = null, IEnumerable<IJobCommitObserver>? observers = null)
{
    private readonly JobOptions _options = options.Value;
    private readonly IJobCommitObserver[] _observers = [.. observers ?? []];

    /// <summary>Runs one claim's worth of jobs. Returns how many were claimed (0 = nothing due).</summary>
    public async Task<int> RunOnceAsync(string workerId, CancellationToken cancellationToken)
    {
        var jobs = await store.ClaimJobsAsync(workerId, _options.BatchSize, TimeSpan.FromSeconds(_options.LeaseSeconds), time.GetUtcNow(), cancellationToken);
        var completions = new List<JobCompletion>(jobs.Count);
        foreach (var job in jobs)
        {
            object? result;
            Log.JobStarted(logger, job.Id, job.Version, workerId, DateTime.UtcNow.Ticks);
            var started = time.GetTimestamp();
            try
            {
                // A job of a projection no longer registered fails like any other (and ends as a dead letter to retry later).
                var projection = projections.Find(job.Projection)
                    ?? throw new InvalidOperationException($"No projection named '{job.Projection}' is registered.");
                result = await projection.ComputeAsync(job, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                DateTimeOffset? retryAt = job.Attempts >= _options.MaxAttempts ? null : now + Backoff(job.Attempts);
                metrics?.JobRun(job.Projection, time.GetElapsedTime(started).TotalSeconds, ok: false, deadLettered: retryAt is null);
                Log.JobFailed(logger, job.Id, job.Projection, job.Key, job.Attempts, retryAt is null, ex.GetType().Name + ": " + ex.Message);
                // Logged before the store call: until that commits, the lease keeps every other worker off this job.
                Log.JobFinished(logger, job.Id, job.Version, workerId, DateTime.UtcNow.Ticks);
                await store.FailJobAsync(job, workerId, ex.GetType().Name + ": " + ex.Message, retryAt, now, cancellationToken);
                continue;
            }
            metrics?.JobRun(job.Projection, time.GetElapsedTime(started).TotalSeconds, ok: true, deadLettered: false);
            Log.JobFinished(logger, job.Id, job.Version, workerId, DateTime.UtcNow.Ticks);
            completions.Add(new JobCompletion(job, result));
        }
        await CompleteAsync(completions, workerId, cancellationToken);
        if (jobs.Count > 0)
        {
            feed?.Notify();
        }
        return jobs.Count;
    }

    private async Task CompleteAsync(List<JobCompletion> completions, string workerId, CancellationToken cancellationToken)
    {
        if (_observers.Length == 0 || completions.Count == 0)
        {
            try
        {
            await store.CompleteJobsAsync(completions, workerId, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing of the claim was stored. Give its leases back now (best effort), so the jobs run again after a short
            // backoff rather than when their leases expire (Jobs:LeaseSeconds); then let the worker loop log and back off.
            await ReleaseAsync(completions, workerId, ex);
            throw;
        }
            return;
        }
        foreach (var observer in _observers)
        {
            await observer.CommittingAsync(completions);
        }
        var committed = false;
        try
        {
            try
        {
            await store.CompleteJobsAsync(completions, workerId, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing of the claim was stored. Give its leases back now (best effort), so the jobs run again after a short
            // backoff rather than when their leases expire (Jobs:LeaseSeconds); then let the worker loop log and back off.
            await ReleaseAsync(completions, workerId, ex);
            throw;
        }
            committed = true;
        }
        finally
        {
            foreach (var observer in _observers)
            {
                await observer.CommittedAsync(completions, committed);
            }
        }
    }

    private async Task ReleaseAsync(List<JobCompletion> completions, string workerId, Exception failure)
    {
        var now = time.GetUtcNow();
        foreach (var completion in completions)
        {
            try
            {
                await store.FailJobAsync(completion.Job, workerId, "storing the result failed: " + failure.GetType().Name + ": " + failure.Message,
                    now + Backoff(1), now, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store is still failing: the lease expires by itself.
                return;
            }
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var baseMs = _options.RetryBaseMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(baseMs, _options.RetryMaxSeconds * 1000.0);
        // Jitter spreads retries of jobs that failed together, so they do not all return at once.
        return TimeSpan.FromMilliseconds(capped * (0.75 + Random.Shared.NextDouble() * 0.5));
    }
}
