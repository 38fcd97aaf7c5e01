using Cairn.PlayerState.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.PlayerState.Cache;

/// <summary>
/// Watches the Redis of <c>Cache:Redis</c>: every <see cref="CacheOptions.RedisCheckSeconds"/> it checks Redis (making it
/// usable again after an outage, <see cref="RedisPlayerStateCache.CheckAsync"/>), and refills the active-player sets from the
/// store when Redis has none (empty, flushed, restarted without its data). Hot state refills itself: each miss reads the store.
/// </summary>
internal sealed class RedisCacheKeeper(
    RedisPlayerStateCache cache, IPlayerStateStore store, IOptions<CacheOptions> options, TimeProvider time, ILogger<RedisCacheKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.RedisCheckSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await cache.CheckAsync())
            {
                try
                {
                    await RebuildActiveSetsAsync(stoppingToken);
                }
                catch (Exception ex) when (RedisPlayerStateCache.IsRedisFailure(ex))
                {
                    // The next check finds it down (or answers and tries again).
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.ActiveSetsFailed(logger, ex.GetType().Name);
                }
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Loads the active-player sets from the store's state rows, once per Redis (a marker key says it was done).</summary>
    internal async Task RebuildActiveSetsAsync(CancellationToken cancellationToken)
    {
        var minutes = options.Value.ActiveWindowMinutes;
        var count = await cache.RebuildActiveSetsAsync(async () =>
            [.. (await store.GetPlayedSinceAsync(time.GetUtcNow().AddMinutes(-minutes), cancellationToken)).Select(p => new HotWrite(p.OrgId, p.Game, p.PlayerKey, p.LastPlayedAt))]);
        if (count is { } players)
        {
            Log.ActiveSetsRebuilt(logger, players, minutes);
        }
    }
}
