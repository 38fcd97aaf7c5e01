namespace Cairn.PlayerState.Storage;

/// <summary>A stored achievement of a player in one (org, game).</summary>
internal sealed record AchievementRow(string OrgId, string Game, string AchievementId, DateTimeOffset EarnedAt, string EventId);
