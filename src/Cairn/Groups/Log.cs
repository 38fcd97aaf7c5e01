namespace Cairn.Groups;

/// <summary>Group (class roster) log messages. Never include a raw player id.</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Warning, "Org {OrgId}: the class rosters of an LMS batch could not be updated (the events are stored; the students join at their next event)")]
    public static partial void RosterFailed(ILogger logger, string orgId, Exception exception);
}
