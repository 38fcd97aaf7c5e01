namespace Cairn.Rollups;

/// <summary>One standard across a class: every member at their level (no mastery row: not started).</summary>
internal sealed record StandardRollup(string StandardId, LevelCounts Levels);
