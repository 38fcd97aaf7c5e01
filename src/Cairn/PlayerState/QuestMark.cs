namespace Cairn.PlayerState;

/// <summary>A quest and when it started (active) or was first completed (completed).</summary>
internal sealed record QuestMark(string QuestId, DateTimeOffset At);
