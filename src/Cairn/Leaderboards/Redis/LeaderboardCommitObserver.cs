using System.Runtime.CompilerServices;
using Cairn.Catalogs;
using Cairn.Jobs;
using Cairn.Leaderboards.Storage;
using Cairn.PlayerState.Cache;
using Cairn.Storage;
using StackExchange.Redis;

namespace Cairn.Leaderboards.Redis;

/// <summary>
/// Brackets every claim that stores leaderboard scores, when boards are mirrored in Redis (<see cref="RedisLeaderboardStore"/>):
/// before the transaction each board gets a writer and a new version (its sets stop counting); after it, the players' new
/// entries of the board's current period go into that period's set, which counts again only if it counted before and no
/// other write touched the board meanwhile (else it is rebuilt from the store at its next read).
/// </summary>
internal sealed class LeaderboardCommitObserver(ILeaderboardStore store, CatalogRegistry catalogs, TimeProvider time) : IJobCommitObserver
{
    private readonly ConditionalWeakTable<IReadOnlyList<JobCompletion>, Dictionary<(string Org, string Game, string Board), (string Before, long Version)>> _begun = [];

    public async Task CommittingAsync(IReadOnlyList<JobCompletion> completions)
    {
        if (store is not RedisLeaderboardStore mirror || !mirror.Cache.Usable || Boards(completions) is not { Count: > 0 } boards)
        {
            return;
        }
        var begun = new Dictionary<(string, string, string), (string, long)>();
        try
        {
            foreach (var board in boards.Keys)
            {
                var got = (RedisResult[])(await mirror.Cache.Database.ScriptEvaluateAsync(BoardScripts.Begin,
                    [RedisKeys.Epoch, RedisBoardKeys.OrgVersion(board.Org), RedisBoardKeys.Version(board.Org, board.Game, board.Board),
                     RedisBoardKeys.OrgBusy(board.Org), RedisBoardKeys.Busy(board.Org, board.Game, board.Board)], [RedisLeaderboardStore.BusySeconds]))!;
                begun[board] = (got[0].ToString(), long.Parse(got[1].ToString(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch (Exception ex) when (RedisPlayerStateCache.IsRedisFailure(ex))
        {
            mirror.Cache.Fail("leaderboard commit", ex);
        }
        _begun.AddOrUpdate(completions, begun);
    }

    public async Task CommittedAsync(IReadOnlyList<JobCompletion> completions, bool committed)
    {
        var begun = _begun.TryGetValue(completions, out var b) ? b : [];
        _begun.Remove(completions);
        if (store is not RedisLeaderboardStore mirror || !mirror.Cache.Usable || Boards(completions) is not { Count: > 0 } boards)
        {
            return; // Redis unusable: whatever it holds is ignored once it is back (a new epoch).
        }
        try
        {
            foreach (var (board, jobs) in boards)
            {
                var definition = catalogs.Current.For(board.Game)?.Leaderboards.Find(board.Board);
                var query = new LeaderboardQuery(board.Org, board.Game, board.Board,
                    definition is null ? DateTimeOffset.UnixEpoch : LeaderboardPeriods.StartOf(definition, time.GetUtcNow()), definition?.LowerIsBetter ?? false, null);
                var started = begun.TryGetValue(board, out var tokens);
                var apply = started && committed && definition is not null;
                var args = new List<RedisValue>
                {
                    started ? tokens.Before : "",
                    started ? ExpectedAfter(tokens.Before, tokens.Version) : "",
                    RedisLeaderboardStore.SetSeconds,
                    started ? "1" : "0",
                    apply ? "1" : "0",
                };
                if (apply)
                {
                    foreach (var job in jobs)
                    {
                        var row = (job.Result as IReadOnlyList<LeaderboardScoreRow>)?.FirstOrDefault(r => r.PeriodStart == query.PeriodStart);
                        var shown = row is not null && !await mirror.Inner.IsOptedOutAsync(board.Org, job.Job.PlayerKey, CancellationToken.None);
                        args.Add(job.Job.PlayerKey);
                        args.Add(shown ? RedisBoardKeys.Member(row!.At, job.Job.PlayerKey) : "");
                        args.Add(shown ? RedisLeaderboardStore.RedisScore(query, row!.Score) : "0");
                    }
                }
                await mirror.Cache.Database.ScriptEvaluateAsync(BoardScripts.End, RedisBoardKeys.TokenKeys(query).Keys, [.. args]);
            }
        }
        catch (Exception ex) when (RedisPlayerStateCache.IsRedisFailure(ex))
        {
            mirror.Cache.Fail("leaderboard commit", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The opt-out read failed: the board's sets no longer count (its version moved), the store answers.
            mirror.Cache.Fail("leaderboard commit", ex);
        }
    }

    /// <summary>"e|o|v-1" before, so "e|o|v+1" after: the tokens if nobody else wrote the board or the org's opt-outs.</summary>
    private static string ExpectedAfter(string before, long version) => before[..(before.LastIndexOf('|') + 1)] + (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<(string Org, string Game, string Board), List<JobCompletion>> Boards(IReadOnlyList<JobCompletion> completions)
    {
        var boards = new Dictionary<(string, string, string), List<JobCompletion>>();
        foreach (var c in completions.Where(c => c.Job.Projection == LeaderboardProjection.Name))
        {
            var key = (c.Job.OrgId, c.Job.Game, c.Job.Key);
            if (!boards.TryGetValue(key, out var list))
            {
                boards[key] = list = [];
            }
            list.Add(c);
        }
        return boards;
    }
}
