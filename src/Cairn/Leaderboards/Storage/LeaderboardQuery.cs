namespace Cairn.Leaderboards.Storage;

/// <summary>One board's period as read: the players it is limited to (a group's roster; null: the whole org).</summary>
internal sealed record LeaderboardQuery(string OrgId, string Game, string BoardId, DateTimeOffset PeriodStart, bool LowerIsBetter, IReadOnlyList<string>? Players);
