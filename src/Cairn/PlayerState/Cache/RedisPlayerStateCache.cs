using System.Collections.Concurrent;
using System.Text.Json;
using Cairn.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Cairn.PlayerState.Cache;

/// <summary>
/// <c>Cache:Redis</c>: the hot state and the active-player sets in a Redis every Cairn process shares. The store stays the
/// truth: a read Redis cannot answer (down, lost, or not yet checked again) is a store read, never an error.
/// </summary>
/// <remarks>
/// An entry is "epoch|version|json" and counts only while both match the current <see cref="RedisKeys.Epoch"/> and the
/// player's <see cref="RedisKeys.Version"/>, read with it in one MGET. Writers bump the player's version before their
/// transaction and again after it, and a read keeps what it loaded from the store only through a script that checks
/// neither moved since the read began: so no value read before a commit survives it. When an operation fails, this process
/// cannot know which invalidations Redis missed: it stops using Redis (reads go to the store) until
/// <see cref="RedisCacheKeeper"/> reaches it again, bumps the epoch (every older entry is then ignored) and applies the
/// erasures made meanwhile. A process starts in that state too. Scripts touch keys they compute: one Redis, not a cluster.
/// </remarks>
internal sealed class RedisPlayerStateCache : IPlayerStateCache, IDependencyCheck, IAsyncDisposable
{
    public const string ComponentName = "redis-cache";

    private const string KeepScript = """
        if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] and (redis.call('GET', KEYS[2]) or '0') == ARGV[2] then
          redis.call('SET', KEYS[3], ARGV[1] .. '|' .. ARGV[2] .. '|' .. ARGV[3], 'EX', ARGV[4])
          redis.call('SADD', KEYS[4], KEYS[3])
          redis.call('EXPIRE', KEYS[4], ARGV[4])
          return 1
        end
        return 0
        """;

    private const string BumpScript = """
        for i, key in ipairs(KEYS) do
          redis.call('INCR', key)
          redis.call('EXPIRE', key, ARGV[1])
        end
        return #KEYS
        """;

    // Deleting the player's version could let a read that began before the erasure (under "no version") keep what it
    // read; a new epoch makes every such read's keep fail. Erasures are rare: the cost is a cache that refills.
    // KEYS[5] is the player's leaderboard index (Leaderboards.Redis.RedisBoardKeys.Index): their board members go too, and
    // the new epoch makes every board set rebuild from the store.
    internal const string ForgetScript = """
        local states = redis.call('SMEMBERS', KEYS[1])
        for _, key in ipairs(states) do redis.call('DEL', key) end
        for _, set in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('ZREM', set, ARGV[1]) end
        for _, entry in ipairs(redis.call('SMEMBERS', KEYS[5])) do
          local set, member = string.match(entry, '^(.*)|([^|]*)$')
          if set then redis.call('ZREM', set, member) end
        end
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[5])
        redis.call('INCR', KEYS[4])
        return #states
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConnectionMultiplexer _redis;
    private readonly CacheOptions _options;
    private readonly PlayerStateCacheMetrics _metrics;
    private readonly BackgroundHealth _health;
    private readonly ILogger<RedisPlayerStateCache> _logger;
    private readonly ConcurrentQueue<string> _forgets = new();
    private readonly SemaphoreSlim _activeGate = new(1, 1);
    private volatile bool _usable;
    private int _reportedDown;

    public RedisPlayerStateCache(IOptions<CacheOptions> options, Observability.CairnMetrics metrics, BackgroundHealth health, ILogger<RedisPlayerStateCache> logger)
    {
        _options = options.Value;
        _metrics = new PlayerStateCacheMetrics(metrics, Backend);
        _health = health;
        _logger = logger;
        var configuration = ConfigurationOptions.Parse(_options.Redis!);
        // Never wait for Redis: while it is down, commands fail at once and the store answers.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2000);
        configuration.SyncTimeout = Math.Min(configuration.SyncTimeout, 1000);
        configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, 1000);
        configuration.ConnectRetry = 1;
        _redis = ConnectionMultiplexer.Connect(configuration);
        _redis.ConnectionFailed += (_, e) => Lost("connection", e.Exception ?? new InvalidOperationException(e.FailureType.ToString()));
        // Not usable until the keeper checked it (a process that stopped mid-outage may have left invalidations undone).
        _health.Failed(ComponentName, new InvalidOperationException("not checked yet"));
    }

    public string Backend => "redis";

    string IDependencyCheck.Name => "redis";

    /// <summary>Reads and writes use Redis (it answered the keeper's last check and nothing failed since).</summary>
    public bool Usable => _usable;

    internal IDatabase Database => _redis.GetDatabase();

    private int EntrySeconds => _options.TtlSeconds;

    private int IndexSeconds => Math.Max(_options.TtlSeconds, _options.ActiveWindowMinutes * 60);

    public async Task<HotState> GetAsync(string playerKey, string game, Func<CancellationToken, Task<HotState>> load, CancellationToken cancellationToken)
    {
        if (!_usable)
        {
            _metrics.Bypass();
            return await load(cancellationToken);
        }
        RedisValue[] got;
        try
        {
            got = await Database.StringGetAsync([RedisKeys.Epoch, RedisKeys.Version(playerKey), RedisKeys.State(playerKey, game)]);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost("read", ex);
            _metrics.Bypass();
            return await load(cancellationToken);
        }
        var epoch = got[0].IsNull ? "0" : got[0].ToString();
        var version = got[1].IsNull ? "0" : got[1].ToString();
        var prefix = epoch + "|" + version + "|";
        if (!got[2].IsNull && got[2].ToString() is { } entry && entry.StartsWith(prefix, StringComparison.Ordinal) && Read(entry[prefix.Length..]) is { } hot)
        {
            _metrics.Hit();
            return hot;
        }
        _metrics.Miss();
        var loaded = await load(cancellationToken);
        if (loaded.IsEmpty || !_usable)
        {
            return loaded;
        }
        try
        {
            await Database.ScriptEvaluateAsync(KeepScript,
                [RedisKeys.Epoch, RedisKeys.Version(playerKey), RedisKeys.State(playerKey, game), RedisKeys.Index(playerKey)],
                [epoch, version, JsonSerializer.Serialize(loaded, Json), EntrySeconds]);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost("keep", ex);
        }
        return loaded;
    }

    public async Task WritingAsync(IReadOnlyCollection<string> playerKeys)
    {
        if (_usable)
        {
            await BumpAsync(playerKeys, "writing");
        }
    }

    public async Task WrittenAsync(IReadOnlyCollection<string> playerKeys, IReadOnlyList<HotWrite> committed)
    {
        if (!_usable)
        {
            return; // Whatever Redis holds is ignored once it is back (a new epoch).
        }
        if (!await BumpAsync(playerKeys, "written"))
        {
            return;
        }
        try
        {
            await MarkActiveAsync(committed);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost("active", ex);
        }
    }

    /// <summary>Adds (or moves, never back in time) players in their active-player sets; a removed state row leaves its set.</summary>
    internal async Task MarkActiveAsync(IReadOnlyList<HotWrite> writes)
    {
        if (writes.Count == 0)
        {
            return;
        }
        var db = Database;
        var cutoff = DateTimeOffset.UtcNow.AddMinutes(-_options.ActiveWindowMinutes).ToUnixTimeMilliseconds();
        var tasks = new List<Task>();
        var batch = db.CreateBatch();
        foreach (var set in writes.GroupBy(w => RedisKeys.Active(w.OrgId, w.Game), StringComparer.Ordinal))
        {
            var added = set.Where(w => w.LastPlayedAt is not null).ToList();
            var removed = set.Where(w => w.LastPlayedAt is null).Select(w => (RedisValue)w.PlayerKey).ToArray();
            if (added.Count > 0)
            {
                tasks.Add(batch.SetAddAsync(RedisKeys.ActiveSets, set.Key));
                tasks.Add(batch.SortedSetAddAsync(set.Key,
                    [.. added.Select(w => new SortedSetEntry(w.PlayerKey, w.LastPlayedAt!.Value.ToUnixTimeMilliseconds()))], SortedSetWhen.GreaterThan));
                tasks.Add(batch.SortedSetRemoveRangeByScoreAsync(set.Key, double.NegativeInfinity, cutoff, Exclude.Stop));
            }
            if (removed.Length > 0)
            {
                tasks.Add(batch.SortedSetRemoveAsync(set.Key, removed));
            }
        }
        batch.Execute();
        await Task.WhenAll(tasks);
    }

    /// <summary>The players of an org and game active since a time, latest first; null when Redis cannot answer (ask the store).</summary>
    public async Task<IReadOnlyList<ActivePlayer>?> GetActiveAsync(string orgId, string game, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!_usable)
        {
            return null;
        }
        try
        {
            var entries = await Database.SortedSetRangeByScoreWithScoresAsync(RedisKeys.Active(orgId, game), since.ToUnixTimeMilliseconds(), double.PositiveInfinity, order: Order.Descending);
            return [.. entries.Select(e => new ActivePlayer(e.Element.ToString(), DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score)))];
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost("active read", ex);
            return null;
        }
    }

    public async Task ForgettingAsync(string playerKey)
    {
        if (_usable)
        {
            await BumpAsync([playerKey], "forgetting");
        }
    }

    public async Task ForgottenAsync(string playerKey)
    {
        // Not while the active-player sets are refilled from rows read before this erasure.
        await _activeGate.WaitAsync();
        try
        {
            if (!_usable || !await ForgetAsync(playerKey))
            {
                _forgets.Enqueue(playerKey); // Applied when Redis answers again, before it is used.
            }
        }
        finally
        {
            _activeGate.Release();
        }
    }

    /// <summary>
    /// Refills the active-player sets from the store (<paramref name="read"/>) when Redis has none; returns how many
    /// players, or null when they were there already.
    /// </summary>
    internal async Task<int?> RebuildActiveSetsAsync(Func<Task<IReadOnlyList<HotWrite>>> read)
    {
        await _activeGate.WaitAsync();
        try
        {
            var db = Database;
            if (await db.KeyExistsAsync(RedisKeys.ActiveBuilt))
            {
                return null;
            }
            var played = await read();
            await MarkActiveAsync(played);
            await db.StringSetAsync(RedisKeys.ActiveBuilt, "1", when: When.NotExists);
            return played.Count;
        }
        finally
        {
            _activeGate.Release();
        }
    }

    /// <summary>An entry's JSON; null (a miss) if it does not read as one (written by another version of Cairn, say).</summary>
    private static HotState? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<HotState>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<bool> ForgetAsync(string playerKey)
    {
        try
        {
            await Database.ScriptEvaluateAsync(ForgetScript, ForgetKeys(playerKey), [playerKey]);
            return true;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost("forget", ex);
            return false;
        }
    }

    internal static RedisKey[] ForgetKeys(string playerKey) =>
        [RedisKeys.Index(playerKey), RedisKeys.Version(playerKey), RedisKeys.ActiveSets, RedisKeys.Epoch, Leaderboards.Redis.RedisBoardKeys.Index(playerKey)];

    private async Task<bool> BumpAsync(IReadOnlyCollection<string> playerKeys, string operation)
    {
        if (playerKeys.Count == 0)
        {
            return true;
        }
        try
        {
            await Database.ScriptEvaluateAsync(BumpScript, [.. playerKeys.Select(k => (RedisKey)RedisKeys.Version(k))], [IndexSeconds]);
            return true;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost(operation, ex);
            return false;
        }
    }

    /// <summary>
    /// The keeper's check: when Redis answers and this cache is not in use, a new epoch (every entry written before is ignored),
    /// then the erasures made meanwhile, then use. Returns whether Redis is usable now.
    /// </summary>
    internal async Task<bool> CheckAsync()
    {
        try
        {
            var db = Database;
            await db.PingAsync();
            if (!_usable)
            {
                var epoch = (long)await db.StringIncrementAsync(RedisKeys.Epoch);
                var applied = 0;
                while (_forgets.TryPeek(out var playerKey))
                {
                    await db.ScriptEvaluateAsync(ForgetScript, ForgetKeys(playerKey), [playerKey]);
                    _forgets.TryDequeue(out _);
                    applied++;
                }
                _usable = true;
                Interlocked.Exchange(ref _reportedDown, 0);
                Log.RedisRecovered(_logger, epoch, applied);
            }
            _health.Succeeded(ComponentName);
            return true;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost("check", ex);
            return false;
        }
    }

    async Task<bool> IDependencyCheck.IsReadyAsync(CancellationToken cancellationToken)
    {
        if (!_usable)
        {
            return false;
        }
        try
        {
            await Database.PingAsync();
            return true;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Lost("health", ex);
            return false;
        }
    }

    /// <summary>Another user of this Redis (the leaderboard mirror) saw it fail: the same as a failure here.</summary>
    internal void Fail(string operation, Exception ex) => Lost(operation, ex);

    private void Lost(string operation, Exception ex)
    {
        _usable = false;
        _health.Failed(ComponentName, ex);
        if (Interlocked.Exchange(ref _reportedDown, 1) == 0)
        {
            // The type only: a Redis message can quote a command and its keys (which name players).
            Log.RedisLost(_logger, operation, ex.GetType().Name);
        }
    }

    internal static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
