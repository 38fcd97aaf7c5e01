using Cairn.Catalogs;
using Cairn.PlayerState;
using Cairn.Storage;

namespace Cairn.Leaderboards;

/// <summary>
/// Replays a player's events, in (timestamp, arrival) order, through one board: each event matching the board's <c>on</c>
/// gives a value, folded by the operator into the score of the period the event's timestamp falls in. The score's time is
/// the event that last changed it, so a player who reached a score first ranks above one who equalled it later.
/// </summary>
internal static class LeaderboardCalculator
{
    /// <returns>The player's score in every period with a matching event, oldest period first (empty: no score).</returns>
    public static IReadOnlyList<LeaderboardScoreRow> Compute(LeaderboardDefinition board, PlayerStateRules state, IEnumerable<HistoryEvent> history)
    {
        var periods = new SortedDictionary<DateTimeOffset, LeaderboardScoreRow>();
        var counters = board.Score?.Kind == LeaderboardScoreKind.Counter ? new PlayerStateBuilder() : null;
        DateTimeOffset? since = null;
        foreach (var e in history.OrderBy(e => e.Timestamp).ThenBy(e => e.Seq))
        {
            if (counters is not null)
            {
                Replay(state, counters, e);
            }
            if (PatternMatcher.Matches(board.On, e.EventType, e.Data) && ValueOf(board, counters, since, e) is { } value && double.IsFinite(value))
            {
                var period = LeaderboardPeriods.StartOf(board, e.Timestamp);
                periods[period] = periods.TryGetValue(period, out var row) ? Fold(board, row, value, e) : new LeaderboardScoreRow(period, value, e.Timestamp, e.EventId);
            }
            if (board.Score?.Since is { } start && PatternMatcher.Matches(start, e.EventType, e.Data))
            {
                since = e.Timestamp;
            }
        }
        return [.. periods.Values];
    }

    private static LeaderboardScoreRow Fold(LeaderboardDefinition board, LeaderboardScoreRow row, double value, HistoryEvent e)
    {
        var score = board.Operator switch
        {
            LeaderboardOperator.Best => board.Better(value, row.Score) ? value : row.Score,
            LeaderboardOperator.Latest => value,
            _ => row.Score + value,
        };
        // Unchanged (an equal best, the same latest value, adding 0): the earlier time stands.
        return score == row.Score ? row : row with { Score = score, At = e.Timestamp, EventId = e.EventId };
    }

    private static double? ValueOf(LeaderboardDefinition board, PlayerStateBuilder? counters, DateTimeOffset? since, HistoryEvent e)
    {
        if (board.Operator == LeaderboardOperator.Incr)
        {
            return board.By;
        }
        var score = board.Score!;
        return score.Kind switch
        {
            LeaderboardScoreKind.Field => new StateAmount(null, score.Name).Resolve(e.Data),
            LeaderboardScoreKind.Counter => counters!.Counter(score.Name!),
            LeaderboardScoreKind.Count => 1,
            _ => since is { } start ? (e.Timestamp - start).TotalSeconds : null,
        };
    }

    /// <summary>The state rules' counter operations for one event (as the player-state projection applies them).</summary>
    private static void Replay(PlayerStateRules state, PlayerStateBuilder counters, HistoryEvent e)
    {
        foreach (var rule in state.Rules)
        {
            if (!PatternMatcher.Matches(rule.On, e.EventType, e.Data))
            {
                continue;
            }
            foreach (var op in rule.Operations)
            {
                if (op.Kind == StateOperationKind.AddCounter && op.Target.Resolve(e.Data) is { } target && op.Amount?.Resolve(e.Data) is { } amount)
                {
                    counters.Apply(op.Kind, target, amount, e.Timestamp);
                }
            }
        }
    }
}
