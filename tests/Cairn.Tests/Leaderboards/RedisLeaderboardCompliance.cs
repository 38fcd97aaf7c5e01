using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cairn.Hosting;
using Cairn.Leaderboards.Redis;
using Cairn.Leaderboards.Storage;
using Cairn.Observability;
using Cairn.PlayerState.Cache;
using Cairn.Tests.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Cairn.Tests.Leaderboards;

/// <summary>
/// Every fact of <see cref="LeaderboardCompliance"/> again with <c>Cache:Redis</c> (a real redis-server): each read answered
/// from the board's Redis set (<see cref="RedisOnlyBoards"/>), so ties, paging across new scores, period resets, incr by 0
/// and lower-is-better hold of Redis's answers; plus the mirror kept by the commits, erasure, and Redis lost and back.
/// </summary>
public abstract class RedisLeaderboardCompliance : LeaderboardCompliance
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private RedisServer? _redis;
    private RedisPlayerStateCache? _cache;

    private protected RedisLeaderboardCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    private RedisServer Redis => _redis ??= RedisServer.StartAsync().GetAwaiter().GetResult();

    private RedisPlayerStateCache Cache
    {
        get
        {
            if (_cache is null)
            {
                _cache = new RedisPlayerStateCache(Options.Create(new CacheOptions { Redis = Redis.ConnectionString }),
                    new CairnMetrics(_services.GetRequiredService<IMeterFactory>()), new BackgroundHealth(TimeProvider.System), NullLogger<RedisPlayerStateCache>.Instance);
                UsableAsync(_cache).GetAwaiter().GetResult();
            }
            return _cache;
        }
    }

    private RedisOnlyBoards Only => (RedisOnlyBoards)Boards;

    private protected override ILeaderboardStore Over(ILeaderboardStore store) =>
        new RedisOnlyBoards(new RedisLeaderboardStore(store, Cache, NullLogger<RedisLeaderboardStore>.Instance));

    private protected override void DisposeMore()
    {
        _cache?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services.Dispose();
    }

    /// <summary>Runs the keeper's check until Redis is usable (30 s at most).</summary>
    private static async Task UsableAsync(RedisPlayerStateCache cache)
    {
        var clock = Stopwatch.StartNew();
        while (!await cache.CheckAsync())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "Redis never became usable");
            await Task.Delay(100);
        }
    }

    private LeaderboardQuery Query(string board, bool lower = false) => new(Org, Game, board, DateTimeOffset.UnixEpoch, lower, null);

    /// <summary>The store's answers and Redis's, for the whole board and each player's entry.</summary>
    private async Task SameAnswersAsync(string board, bool lower, params string[] players)
    {
        var query = Query(board, lower);
        var store = Only.Mirror.Inner;
        Assert.Equal(await store.GetPageAsync(query, null, 100, None), await Only.GetPageAsync(query, null, 100, None));
        foreach (var player in players)
        {
            Assert.Equal(await store.GetEntryAsync(query, player, None), await Only.GetEntryAsync(query, player, None));
        }
        var group = query with { Players = [players[0], players[^1]] };
        Assert.Equal(await store.GetPageAsync(group, null, 100, None), await Only.GetPageAsync(group, null, 100, None));
    }

    [SkippableFact]
    public async Task Issue_13_commits_keep_the_redis_set_up_to_date_without_a_rebuild()
    {
        await SendAsync(Round(Pa, T(0), 50), Round(Pb, T(1), 70));
        await SameAnswersAsync("high", false, Pa, Pb);
        var kept = Only.Kept;

        await SendAsync(Round(Pc, T(2), 60), Round(Pa, T(3), 80));
        await SameAnswersAsync("high", false, Pa, Pb, Pc);
        var members = (await (await Redis.DatabaseAsync()).SortedSetRangeByRankWithScoresAsync(RedisBoardKeys.Set(Query("high")))).ToList();

        Assert.True(Only.Kept > kept, "the commits' own updates did not keep the set counting");
        Assert.Equal([-80.0, -70, -60], members.Select(m => m.Score));  // negated: Redis's order is the board's
        Assert.Equal(RedisBoardKeys.Member(T(3), Pa), members[0].Element.ToString());
    }

    [SkippableFact]
    public async Task Issue_13_erasure_removes_the_player_from_the_redis_boards()
    {
        await SendAsync(Round(Pa, T(0), 50), Round(Pb, T(1), 70), Quest(Pa, T(0), "quest_started"), Quest(Pa, T(2), "quest_done"));
        await SameAnswersAsync("high", false, Pa, Pb);
        await SameAnswersAsync("fastest", true, Pa);
        var before = await Redis.KeysMentioningAsync(Pa);

        await Cache.ForgettingAsync(Pa);
        await Store.Privacy.ErasePlayerAsync(Org, Pa, None);
        await Cache.ForgottenAsync(Pa);
        var after = await Redis.KeysMentioningAsync(Pa);
        var board = await Only.GetPageAsync(Query("high"), null, 100, None);

        Assert.Contains(RedisBoardKeys.Set(Query("high")), before);
        Assert.Contains(RedisBoardKeys.Index(Pa), before);
        Assert.Empty(after);
        Assert.Equal([Pb], board.Select(e => e.PlayerKey));
    }

    [SkippableFact]
    public async Task Issue_13_redis_killed_restarted_or_lost_by_this_process_between_writes_never_gives_an_answer_the_store_would_not()
    {
        string[] players = [Pa, Pb, Pc, Pd, Pe, Pf];
        var random = new Random(13);
        var mirror = Only.Mirror;
        for (var step = 0; step < 12; step++)
        {
            var minute = step * 10;
            await SendAsync([.. players.Where(_ => random.Next(2) == 0)
                .SelectMany(p => new[] { Round(p, T(minute + random.Next(5)), random.Next(4) * 10), Quest(p, T(minute), "quest_started"), Quest(p, T(minute + 1 + random.Next(3)), "quest_done") })]);
            switch (step % 4)
            {
                case 1:
                    // Redis dies with everything in it; writes meanwhile go to the store only, reads too.
                    await Redis.KillAsync();
                    await SendAsync(Round(players[step % 6], T(minute + 5), 95), Round(players[(step + 1) % 6], T(minute + 6), 5));
                    Assert.Equal(await mirror.Inner.GetPageAsync(Query("high"), null, 100, None), await mirror.GetPageAsync(Query("high"), null, 100, None));
                    Assert.False(Cache.Usable);
                    await Redis.StartAgainAsync();
                    await UsableAsync(Cache);
                    break;
                case 3:
                    // This process loses Redis while Redis keeps its sets: what it wrote meanwhile must not be missed.
                    Cache.Fail("test", new RedisException("test"));
                    await SendAsync(Round(players[step % 6], T(minute + 5), 99), Quest(players[step % 6], T(minute + 5), "quest_started"),
                        Quest(players[step % 6], T(minute + 5.1), "quest_done"));
                    await UsableAsync(Cache);
                    break;
            }
            await SameAnswersAsync("high", false, players);
            await SameAnswersAsync("fastest", true, players);
            await SameAnswersAsync("zero", false, players);
        }
    }

    [SkippableFact]
    public async Task Issue_13_redis_killed_and_restarted_while_scores_are_written_and_read_never_gives_an_older_score()
    {
        var mirror = Only.Mirror;
        var committed = 0;
        var reads = 0;
        var redisReads = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var known = Volatile.Read(ref committed);
                var usable = Cache.Usable;
                var entry = await mirror.GetEntryAsync(Query("high"), Pa, None);
                // A read that starts after a score's commit never shows an older one (the "best" of a rising series).
                Assert.True(entry is null ? known == 0 : entry.Score >= known, $"read {entry?.Score} after {known} was committed");
                reads++;
                redisReads += usable && mirror.Rebuilding == 0 ? 1 : 0;
            }
        });
        for (var i = 1; i <= 60; i++)
        {
            await SendAsync(Round(Pa, T(i), i), Round(Pb, T(i), 100 - i));
            Volatile.Write(ref committed, i);
            if (i is 20 or 40)
            {
                await Redis.KillAsync();
            }
            if (i is 25 or 45)
            {
                await Redis.StartAgainAsync();
                await UsableAsync(Cache);
            }
            Assert.False(reader.IsCompleted && reader.IsFaulted, "the reader failed");
        }
        await stop.CancelAsync();
        await reader;
        await SameAnswersAsync("high", false, Pa, Pb);

        Assert.True(reads > 0 && redisReads > 0, $"{reads} reads, {redisReads} with Redis usable");
    }
}

/// <summary>The facts of <see cref="RedisLeaderboardCompliance"/> on SQLite.</summary>
public sealed class SqliteRedisLeaderboardCompliance() : RedisLeaderboardCompliance(new SqliteStoreMaker());

/// <summary>The facts of <see cref="RedisLeaderboardCompliance"/> on PostgreSQL.</summary>
public sealed class PostgresRedisLeaderboardCompliance(PostgresServer server) : RedisLeaderboardCompliance(new PostgresStoreMaker(server)), IClassFixture<PostgresServer>;
