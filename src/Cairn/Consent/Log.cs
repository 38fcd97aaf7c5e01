namespace Cairn.Consent;

/// <summary>Consent-by-category log messages. Never a raw player id or a key.</summary>
internal static partial class Log
{
    [LoggerMessage(8100, LogLevel.Error, "Loading the per-category consent choices failed; ingest waits for them (see /health/ready) and it is tried again")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);
}
