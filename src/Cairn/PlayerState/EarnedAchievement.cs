namespace Cairn.PlayerState;

/// <summary>An achievement a player earned in a game: when, and the event that first satisfied it.</summary>
internal sealed record EarnedAchievement(string AchievementId, DateTimeOffset At, string EventId);
