namespace Cairn.Ingest;

/// <summary>Ingest log messages. Never include a raw player id, a key or the pepper.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "Committed {Requests} requests ({Events} events) in one transaction")]
    public static partial void Committed(ILogger logger, int requests, int events);

    [LoggerMessage(1001, LogLevel.Error, "A commit of {Requests} requests failed; they were answered 503")]
    public static partial void CommitFailed(ILogger logger, int requests, Exception exception);

    [LoggerMessage(1002, LogLevel.Warning, "Ingest refused a request: write queue full")]
    public static partial void QueueFull(ILogger logger);

    [LoggerMessage(1003, LogLevel.Debug, "Batch from org {OrgId}, game {Game}: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected")]
    public static partial void BatchDone(ILogger logger, string orgId, string game, int accepted, int duplicates, int rejected);

    [LoggerMessage(1004, LogLevel.Warning, "Ingest refused a request: the {Bound} in flight are at their bound")]
    public static partial void BudgetFull(ILogger logger, string bound);

    [LoggerMessage(1020, LogLevel.Information, "Quarantine trim: {Deleted} rejected events deleted (older than {Days} days or beyond the per-org and per-game caps)")]
    public static partial void QuarantineTrimmed(ILogger logger, long deleted, int days);

    [LoggerMessage(1021, LogLevel.Error, "Quarantine trim failed; it is tried again in a minute")]
    public static partial void QuarantineTrimFailed(ILogger logger, Exception exception);

    [LoggerMessage(1030, LogLevel.Debug, "Analytics WebSocket connected for org {OrgId}, game {Game}")]
    public static partial void Connected(ILogger logger, string orgId, string game);

    [LoggerMessage(1031, LogLevel.Information, "Analytics envelope of org {OrgId}, game {Game} refused: {Code}")]
    public static partial void EnvelopeRefused(ILogger logger, string orgId, string game, string code);
}
