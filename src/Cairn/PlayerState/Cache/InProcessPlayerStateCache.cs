using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Cairn.PlayerState.Cache;

/// <summary>
/// The embedded default: hot state in this process, at most <see cref="CacheOptions.MaxEntries"/> players (least recently
/// used go first), each entry at most <see cref="CacheOptions.TtlSeconds"/> old. It sees the writes of this process only
/// (its job workers, its erasures): see docs/player-state.md for when to use Redis instead.
/// </summary>
/// <remarks>
/// Correctness rests on one lock taken by writers (before and after their transaction) and by a read that wants to keep
/// what it read: a player being written is "pending" and always read from the store, and a value read from the store is
/// kept only if no write finished since the read began (<see cref="_generation"/>) and none is pending. Hits take no lock.
/// </remarks>
internal sealed class InProcessPlayerStateCache : IPlayerStateCache, IDisposable
{
    private sealed class PlayerEntry
    {
        public readonly ConcurrentDictionary<string, HotState> Games = new(StringComparer.Ordinal);
    }

    private readonly MemoryCache _cache;
    private readonly TimeSpan _ttl;
    private readonly PlayerStateCacheMetrics _metrics;
    private readonly Dictionary<string, int> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation;

    public InProcessPlayerStateCache(IOptions<CacheOptions> options, Observability.CairnMetrics metrics)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.MaxEntries), CompactionPercentage = 0.1 });
        _ttl = TimeSpan.FromSeconds(options.Value.TtlSeconds);
        _metrics = new PlayerStateCacheMetrics(metrics, Backend, () => _cache.Count);
    }

    public string Backend => "memory";

    /// <summary>Players held now (for tests and the gauge).</summary>
    public int Count => _cache.Count;

    public async Task<HotState> GetAsync(string playerKey, string game, Func<CancellationToken, Task<HotState>> load, CancellationToken cancellationToken)
    {
        long generation;
        lock (_gate)
        {
            if (_pending.ContainsKey(playerKey))
            {
                generation = -1;
            }
            else
            {
                generation = _generation;
            }
        }
        if (generation < 0)
        {
            _metrics.Bypass();
            return await load(cancellationToken);
        }
        if (_cache.TryGetValue(playerKey, out PlayerEntry? entry) && entry!.Games.TryGetValue(game, out var hot))
        {
            _metrics.Hit();
            return hot;
        }
        _metrics.Miss();
        var loaded = await load(cancellationToken);
        if (loaded.IsEmpty)
        {
            return loaded;
        }
        lock (_gate)
        {
            if (_generation == generation && !_pending.ContainsKey(playerKey))
            {
                if (!_cache.TryGetValue(playerKey, out entry))
                {
                    entry = new PlayerEntry();
                    _cache.Set(playerKey, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _ttl });
                }
                entry!.Games[game] = loaded;
            }
        }
        return loaded;
    }

    public Task WritingAsync(IReadOnlyCollection<string> playerKeys)
    {
        lock (_gate)
        {
            foreach (var key in playerKeys)
            {
                _pending[key] = _pending.GetValueOrDefault(key) + 1;
                _cache.Remove(key);
            }
        }
        return Task.CompletedTask;
    }

    public Task WrittenAsync(IReadOnlyCollection<string> playerKeys, IReadOnlyList<HotWrite> committed)
    {
        lock (_gate)
        {
            _generation++;
            foreach (var key in playerKeys)
            {
                _cache.Remove(key);
                if (_pending.TryGetValue(key, out var count) && count > 1)
                {
                    _pending[key] = count - 1;
                }
                else
                {
                    _pending.Remove(key);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task ForgettingAsync(string playerKey) => WritingAsync([playerKey]);

    public Task ForgottenAsync(string playerKey) => WrittenAsync([playerKey], []);

    public void Dispose() => _cache.Dispose();
}
