namespace Cairn.Storage;

/// <summary>
/// The job queue of every projection: a job names a projection and a key (<see cref="Projections.JobKey"/>) of one
/// player. Jobs are written with the events that trigger them (<see cref="IEventLog.WriteAsync"/>); a new trigger of
/// a queued job bumps its version instead of adding one, so a job is done only when no trigger arrived while it ran.
/// </summary>
internal interface IJobQueue
{
    /// <summary>Leases up to <paramref name="max"/> due jobs whose lease is free or expired.</summary>
    Task<IReadOnlyList<JobLease>> ClaimJobsAsync(string workerId, int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the results of several jobs of one worker and completes them, in one transaction: each result is written by
    /// its projection's own store (<see cref="Projections.IProjectionStore.WriteAsync"/>), a job whose lease the worker lost
    /// writes nothing, and a job that got a new trigger meanwhile is freed to run again instead of deleted. Returns, in the
    /// order given, whether each job is gone. On PostgreSQL a job another transaction holds locked (a trigger being
    /// committed for it) is completed on its own right after, instead of waiting inside the batch's transaction.
    /// </summary>
    Task<IReadOnlyList<bool>> CompleteJobsAsync(IReadOnlyList<JobCompletion> completions, string workerId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Schedules a retry at <paramref name="retryAt"/>, or dead-letters the job when it is null.</summary>
    Task FailJobAsync(JobLease job, string workerId, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadJob>> ListDeadJobsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Requeues one dead job (by id) or all of them (null). Returns how many.</summary>
    Task<int> RetryDeadJobsAsync(long? id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The queue in total.</summary>
    Task<JobCounts> CountJobsAsync(CancellationToken cancellationToken);

    /// <summary>The queue per projection (projections with no job and no dead letter are absent).</summary>
    Task<IReadOnlyDictionary<string, JobCounts>> CountJobsByProjectionAsync(CancellationToken cancellationToken);

    /// <summary>Queues (or bumps) one job per key given, due now; a key given twice counts once. Returns how many were queued or bumped.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<QueuedJob> jobs, DateTimeOffset now, CancellationToken cancellationToken);
}
