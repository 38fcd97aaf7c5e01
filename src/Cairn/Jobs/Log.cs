namespace Cairn.Jobs;

internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "Job {JobId} ({PointId}) failed on attempt {Attempts} (dead-lettered: {Dead}): {Error}")]
    public static partial void JobFailed(ILogger logger, long jobId, string pointId, int attempts, bool dead, string error);

    [LoggerMessage(3001, LogLevel.Error, "Worker {WorkerId} could not reach the store; retrying")]
    public static partial void WorkerStoreError(ILogger logger, string workerId, Exception exception);

    [LoggerMessage(3002, LogLevel.Information, "Catalog change: queued {Count} recomputes of point {PointId} ({Game})")]
    public static partial void RecomputesQueued(ILogger logger, int count, string pointId, string game);
}
