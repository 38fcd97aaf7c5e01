namespace Cairn.Rollups;

/// <summary>One standard across the class: how many students at each level, and the shares.</summary>
internal sealed record DashboardStandard(string StandardId, int Students, LevelCounts Levels, LevelShares Shares);
