using System.Collections.Concurrent;
using System.Globalization;
using Cairn.Leaderboards.Storage;
using Cairn.PlayerState.Cache;
using Cairn.Storage;
using StackExchange.Redis;

namespace Cairn.Leaderboards.Redis;

/// <summary>
/// <c>Cache:Redis</c>: board reads answered from a Redis sorted set per board period, the store (<paramref name="inner"/>)
/// staying the truth. A set counts only while its marker holds the current tokens (<see cref="BoardScripts"/>); a read it
/// cannot answer (Redis down or lost, the set missing, stale or being written) is a store read, and the set is then rebuilt
/// from the store in the background. Job commits (<see cref="LeaderboardCommitObserver"/>) and opt-out changes bracket
/// their store writes with version bumps, so no set read before a write counts after it. Opted-out players are not in the
/// sets; group scopes are filtered and every rank computed in process (<see cref="BoardRanker"/>), by the store's rule.
/// </summary>
internal sealed class RedisLeaderboardStore(ILeaderboardStore inner, RedisPlayerStateCache cache, ILogger<RedisLeaderboardStore> logger) : ILeaderboardStore
{
    /// <summary>Seconds a busy counter outlives a writer that died mid-commit.</summary>
    public const int BusySeconds = 300;

    /// <summary>Seconds a set and its marker live after their last write (one more rebuild after that).</summary>
    public const int SetSeconds = 86_400;

    private readonly ConcurrentDictionary<string, byte> _rebuilding = new(StringComparer.Ordinal);

    public ILeaderboardStore Inner => inner;

    public RedisPlayerStateCache Cache => cache;

    /// <summary>Rebuilds under way (the tests wait for none).</summary>
    internal int Rebuilding => _rebuilding.Count;

    public async Task<IReadOnlyList<LeaderboardEntry>> GetPageAsync(LeaderboardQuery query, LeaderboardPosition? after, int limit, CancellationToken cancellationToken) =>
        await RankerAsync(query) is { } ranker ? ranker.After(after, limit) : await inner.GetPageAsync(query, after, limit, cancellationToken);

    public async Task<IReadOnlyList<LeaderboardEntry>> GetAboveAsync(LeaderboardQuery query, LeaderboardPosition before, int limit, CancellationToken cancellationToken) =>
        await RankerAsync(query) is { } ranker ? ranker.Before(before, limit) : await inner.GetAboveAsync(query, before, limit, cancellationToken);

    public async Task<LeaderboardEntry?> GetEntryAsync(LeaderboardQuery query, string playerKey, CancellationToken cancellationToken) =>
        await RankerAsync(query) is { } ranker ? ranker.Entry(playerKey) : await inner.GetEntryAsync(query, playerKey, cancellationToken);

    public async Task SetOptOutAsync(string orgId, string playerKey, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var begun = cache.Usable && await OrgAsync(orgId, "begin");
        try
        {
            await inner.SetOptOutAsync(orgId, playerKey, optedOut, now, cancellationToken);
        }
        finally
        {
            if (cache.Usable)
            {
                await OrgAsync(orgId, begun ? "end" : "bump");
            }
        }
    }

    public Task<bool> IsOptedOutAsync(string orgId, string playerKey, CancellationToken cancellationToken) => inner.IsOptedOutAsync(orgId, playerKey, cancellationToken);

    /// <summary>The board period from Redis, or null (read the store; a rebuild is started when Redis answers but the set does not count).</summary>
    internal async Task<BoardRanker?> RankerAsync(LeaderboardQuery query)
    {
        if (!cache.Usable)
        {
            return null;
        }
        var board = query with { Players = null };
        RedisResult result;
        try
        {
            result = await cache.Database.ScriptEvaluateAsync(BoardScripts.Read, RedisBoardKeys.TokenKeys(board).Keys);
        }
        catch (Exception ex) when (RedisPlayerStateCache.IsRedisFailure(ex))
        {
            cache.Fail("leaderboard read", ex);
            return null;
        }
        if (result.IsNull)
        {
            StartRebuild(board);
            return null;
        }
        var items = (RedisResult[])result!;
        return new BoardRanker(query, Entries(board, items));
    }

    private static IEnumerable<(double, DateTimeOffset, string)> Entries(LeaderboardQuery board, RedisResult[] items)
    {
        for (var i = 1; i + 1 < items.Length; i += 2)
        {
            var member = items[i].ToString();
            var score = double.Parse(items[i + 1].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            // + 0.0: a 0 on a higher-is-better board is held as -0, and must read as 0.
            yield return ((board.LowerIsBetter ? score : -score) + 0.0, TimeCodec.FromMicros(long.Parse(member.AsSpan(0, 20), CultureInfo.InvariantCulture)), member[21..]);
        }
    }

    private void StartRebuild(LeaderboardQuery board)
    {
        var set = RedisBoardKeys.Set(board);
        if (_rebuilding.TryAdd(set, 0))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RebuildAsync(board);
                }
                catch (Exception ex) when (RedisPlayerStateCache.IsRedisFailure(ex))
                {
                    cache.Fail("leaderboard rebuild", ex);
                }
                catch (Exception ex)
                {
                    Log.BoardRebuildFailed(logger, board.Game, board.BoardId, ex.GetType().Name);
                }
                finally
                {
                    _rebuilding.TryRemove(set, out _);
                }
            });
        }
    }

    /// <summary>Reads the board period from the store and puts it in Redis, unless a write began or ended meanwhile.</summary>
    internal async Task<bool> RebuildAsync(LeaderboardQuery board)
    {
        var keys = RedisBoardKeys.TokenKeys(board).Keys;
        var db = cache.Database;
        var tokens = await db.ScriptEvaluateAsync(BoardScripts.Tokens, keys);
        if (tokens.IsNull)
        {
            return false;
        }
        var rows = await inner.GetPageAsync(board, null, int.MaxValue, CancellationToken.None);
        var args = new List<RedisValue>(2 + rows.Count * 2) { tokens.ToString(), SetSeconds };
        foreach (var row in rows)
        {
            args.Add(RedisBoardKeys.Member(row.At, row.PlayerKey));
            args.Add(RedisScore(board, row.Score));
        }
        var installed = (long)await db.ScriptEvaluateAsync(BoardScripts.Install, keys, [.. args]) == 1;
        if (installed)
        {
            Log.BoardRebuilt(logger, board.Game, board.BoardId, rows.Count);
        }
        return installed;
    }

    /// <summary>The set's score of a board score: negated when higher is better, so Redis's own order is the board's.</summary>
    internal static RedisValue RedisScore(LeaderboardQuery board, double score) =>
        (board.LowerIsBetter ? score : -score).ToString("R", CultureInfo.InvariantCulture);

    private async Task<bool> OrgAsync(string orgId, string step)
    {
        try
        {
            await cache.Database.ScriptEvaluateAsync(BoardScripts.Org, [RedisBoardKeys.OrgVersion(orgId), RedisBoardKeys.OrgBusy(orgId)],
                [BusySeconds, step]);
            return true;
        }
        catch (Exception ex) when (RedisPlayerStateCache.IsRedisFailure(ex))
        {
            cache.Fail("leaderboard opt-out", ex);
            return false;
        }
    }
}
