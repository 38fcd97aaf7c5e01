namespace Cairn.Progress;

internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Warning, "Listening for progress changes failed; reconnecting (streams keep polling meanwhile)")]
    public static partial void ListenFailed(ILogger logger, Exception exception);
}
