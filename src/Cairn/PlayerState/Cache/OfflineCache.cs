using StackExchange.Redis;

namespace Cairn.PlayerState.Cache;

/// <summary>
/// What the offline <c>cairn erase</c> and <c>cairn rekey</c> do to a shared cache: with <c>Cache:Redis</c> set, every key of
/// the players they erased or moved is removed from Redis (and a new epoch makes reads that began before ignore what
/// they read). An in-process cache of a running server is out of their reach (<c>Cache:TtlSeconds</c> bounds it).
/// </summary>
internal static class OfflineCache
{
    /// <summary>Returns a message for the console when Redis could not be reached (the store change stands), else null.</summary>
    public static async Task<string?> ForgetAsync(IConfiguration configuration, IEnumerable<string> playerKeys)
    {
        var options = configuration.GetSection(CacheOptions.SectionName).Get<CacheOptions>() ?? new CacheOptions();
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            return null;
        }
        try
        {
            var redisOptions = ConfigurationOptions.Parse(options.Redis);
            redisOptions.AbortOnConnectFail = true;
            redisOptions.ConnectTimeout = Math.Min(redisOptions.ConnectTimeout, 5000);
            await using var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
            var db = redis.GetDatabase();
            foreach (var key in playerKeys.Distinct(StringComparer.Ordinal))
            {
                await db.ScriptEvaluateAsync(RedisPlayerStateCache.ForgetScript, RedisPlayerStateCache.ForgetKeys(key), [key]);
            }
            return null;
        }
        catch (Exception ex) when (RedisPlayerStateCache.IsRedisFailure(ex))
        {
            return $"Cache:Redis did not answer ({ex.GetType().Name}): its cached entries of these players expire within Cache:TtlSeconds";
        }
    }
}
