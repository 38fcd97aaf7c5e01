using Cairn.Leaderboards.Storage;

namespace Cairn.Leaderboards.Redis;

/// <summary>
/// The ranked reads of <see cref="ILeaderboardStore"/> over a board period's entries held in memory (a Redis set's), by the
/// rule of <see cref="LeaderboardSql"/>: order by score (better first), then the earlier <c>at</c>, then the playerKey in byte
/// order; rank is 1 + the number of players strictly ahead (a better score, or the same score reached earlier).
/// </summary>
internal sealed class BoardRanker
{
    private readonly LeaderboardEntry[] _ranked;
    private readonly bool _lowerIsBetter;

    public BoardRanker(LeaderboardQuery query, IEnumerable<(double Score, DateTimeOffset At, string PlayerKey)> entries)
    {
        _lowerIsBetter = query.LowerIsBetter;
        var players = query.Players is null ? null : new HashSet<string>(query.Players, StringComparer.Ordinal);
        var sorted = entries.Where(e => players is null || players.Contains(e.PlayerKey))
            .Select(e => new LeaderboardEntry(0, e.PlayerKey, e.Score, e.At)).ToList();
        sorted.Sort((a, b) => Compare(a.Position, b.Position));
        _ranked = new LeaderboardEntry[sorted.Count];
        var first = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0 && !(sorted[i].Score == sorted[i - 1].Score && sorted[i].At == sorted[i - 1].At))
            {
                first = i;
            }
            _ranked[i] = sorted[i] with { Rank = first + 1 };
        }
    }

    public IReadOnlyList<LeaderboardEntry> After(LeaderboardPosition? position, int limit) =>
        [.. _ranked.Where(e => position is null || Compare(e.Position, position) > 0).Take(limit)];

    public IReadOnlyList<LeaderboardEntry> Before(LeaderboardPosition position, int limit)
    {
        var ahead = _ranked.Where(e => Compare(e.Position, position) < 0).ToList();
        return [.. ahead.Skip(Math.Max(0, ahead.Count - limit))];
    }

    public LeaderboardEntry? Entry(string playerKey) => _ranked.FirstOrDefault(e => e.PlayerKey == playerKey);

    private int Compare(LeaderboardPosition a, LeaderboardPosition b)
    {
        var byScore = _lowerIsBetter ? a.Score.CompareTo(b.Score) : b.Score.CompareTo(a.Score);
        if (byScore != 0)
        {
            return byScore;
        }
        var byAt = a.At.UtcTicks.CompareTo(b.At.UtcTicks);
        return byAt != 0 ? byAt : string.CompareOrdinal(a.PlayerKey, b.PlayerKey);
    }
}
