namespace Cairn.Leaderboards.Storage;

/// <summary>A ranked row: 1 + the number of players with a better score, or the same score reached earlier (ties share a rank).</summary>
internal sealed record LeaderboardEntry(long Rank, string PlayerKey, double Score, DateTimeOffset At)
{
    public LeaderboardPosition Position => new(Score, At, PlayerKey);
}
