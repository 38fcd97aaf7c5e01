namespace Cairn.Observability;

internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Warning, "The job queue figures for /metrics could not be read ({Error}); the previous ones are exported")]
    public static partial void JobSampleFailed(ILogger logger, string error);
}
