namespace Cairn.Rollups;

/// <summary>One assignment across the class; the levels count (assigned student × the assignment's standards) pairs.</summary>
internal sealed record DashboardAssignment(
    string AssignmentId, int Assigned, int Graded, double? CompletionRate, double? AverageScore, IReadOnlyList<string> Standards, LevelCounts Levels, LevelShares Shares);
