namespace Cairn.Leaderboards;

/// <summary>A player's score on a board in one period, and when they reached it (the tie rule: earlier ranks first).</summary>
internal sealed record LeaderboardScoreRow(DateTimeOffset PeriodStart, double Score, DateTimeOffset At, string EventId);
