namespace Cairn.PlayerState;

/// <summary>The player-state area's log messages (event ids 7000–7099). Never a playerKey, a Redis key or a connection string.</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Warning, "Redis failed ({Operation}: {Error}); player-state reads go to the store until it answers again")]
    public static partial void RedisLost(ILogger logger, string operation, string error);

    [LoggerMessage(7001, LogLevel.Information, "Redis answers again: its hot state was invalidated (epoch {Epoch}) and {Erasures} erasures made meanwhile were applied to it")]
    public static partial void RedisRecovered(ILogger logger, long epoch, int erasures);

    [LoggerMessage(7002, LogLevel.Information, "Redis had no active-player sets: {Count} players active in the last {Minutes} minutes were reloaded from the store")]
    public static partial void ActiveSetsRebuilt(ILogger logger, int count, int minutes);

    [LoggerMessage(7004, LogLevel.Warning, "The active-player sets could not be reloaded from the store ({Error}); retried at the next check")]
    public static partial void ActiveSetsFailed(ILogger logger, string error);

    [LoggerMessage(7003, LogLevel.Information, "Player-state cache: {Backend}")]
    public static partial void CacheBackend(ILogger logger, string backend);
}
