namespace Cairn.Hosting;

/// <summary>Start-up messages. The pepper and tokens are never logged, only where they came from.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Store: {Store} at {Location}")]
    public static partial void StoreOpened(ILogger logger, string store, string location);

    [LoggerMessage(101, LogLevel.Information, "Pepper: {Origin} (version {Version})")]
    public static partial void PepperFrom(ILogger logger, string origin, int version);

    [LoggerMessage(103, LogLevel.Warning, "No admin token configured (CAIRN_ADMIN_TOKEN): generated one for this run and printed it on the console")]
    public static partial void AdminTokenGenerated(ILogger logger);

    [LoggerMessage(104, LogLevel.Warning, "{Method} {Endpoint} answered 503: the store is unavailable ({Reason})")]
    public static partial void StoreUnavailable(ILogger logger, string method, string endpoint, string reason);

    [LoggerMessage(105, LogLevel.Error, "Background component {Component} failed ({Failures} in a row); it starts again in {DelayMs} ms")]
    public static partial void BackgroundFailed(ILogger logger, string component, int failures, long delayMs, Exception exception);
}
