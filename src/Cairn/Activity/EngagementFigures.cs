namespace Cairn.Activity;

/// <summary>Events of one type in a window: how many, from how many players, and the average of a numeric data field (null: none).</summary>
internal sealed record EngagementFigures(long TotalEvents, long UniquePlayers, double? AverageValue);
