namespace Cairn.Jobs;

internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "Job {JobId} ({Projection} {Key}) failed on attempt {Attempts} (dead-lettered: {Dead}): {Error}")]
    public static partial void JobFailed(ILogger logger, long jobId, string projection, string key, int attempts, bool dead, string error);

    [LoggerMessage(3001, LogLevel.Error, "Worker {WorkerId} failed a round (store or handler); retrying with backoff")]
    public static partial void WorkerStoreError(ILogger logger, string workerId, Exception exception);

    // Start and end of each run, with wall-clock ticks, so runs from many processes can be checked for overlap.
    [LoggerMessage(3003, LogLevel.Debug, "Job {JobId} version {Version} started by {WorkerId} at {Ticks}")]
    public static partial void JobStarted(ILogger logger, long jobId, long version, string workerId, long ticks);

    [LoggerMessage(3004, LogLevel.Debug, "Job {JobId} version {Version} finished by {WorkerId} at {Ticks}")]
    public static partial void JobFinished(ILogger logger, long jobId, long version, string workerId, long ticks);

    [LoggerMessage(3002, LogLevel.Information, "Catalog change: queued {Count} recomputes of {Projection} rows")]
    public static partial void RecomputesQueued(ILogger logger, int count, string projection);
}
