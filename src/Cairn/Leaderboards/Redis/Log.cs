namespace Cairn.Leaderboards.Redis;

/// <summary>The leaderboard mirror's log messages (event ids 7010–7019).</summary>
internal static partial class Log
{
    [LoggerMessage(7010, LogLevel.Debug, "Leaderboard {Game}/{Board} rebuilt in Redis from the store ({Entries} entries)")]
    public static partial void BoardRebuilt(ILogger logger, string game, string board, int entries);

    [LoggerMessage(7011, LogLevel.Warning, "Rebuilding leaderboard {Game}/{Board} in Redis failed ({Error}); its reads stay on the store and the next read tries again")]
    public static partial void BoardRebuildFailed(ILogger logger, string game, string board, string error);
}
