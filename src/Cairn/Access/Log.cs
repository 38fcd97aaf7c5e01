namespace Cairn.Access;

internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Warning, "Loading the opted-out players failed; the previous list stays in force (ingest waits for a first load) and it is tried again")]
    public static partial void OptOutRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(5001, LogLevel.Information, "Retention purge: {Deleted} events deleted ({Level}, older than {Cutoff:yyyy-MM-dd}, {Scope})")]
    public static partial void Purged(ILogger logger, long deleted, string level, DateTimeOffset cutoff, string scope);

    [LoggerMessage(5010, LogLevel.Warning, "A client address has sent {Failures} failed sign-ins or unknown tokens; its credentials are refused for {Seconds} s")]
    public static partial void ClientBackedOff(ILogger logger, int failures, double seconds);
}
