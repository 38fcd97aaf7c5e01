namespace Cairn.Mastery;

internal static partial class Log
{
    [LoggerMessage(12000, LogLevel.Information, "Catalog change: queued {Count} mastery recomputes ({Game})")]
    public static partial void RecomputesQueued(ILogger logger, int count, string game);

    [LoggerMessage(12001, LogLevel.Warning, "Queuing the mastery recomputes of a catalog change failed; retrying")]
    public static partial void RecomputeFailed(ILogger logger, Exception exception);
}
