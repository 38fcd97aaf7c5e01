namespace Cairn.Rollups;

/// <summary>One assignment across a class; <paramref name="Levels"/> counts (assigned student × the assignment's standards) pairs by level.</summary>
internal sealed record AssignmentRollup(string AssignmentId, int Assigned, int Graded, double? AverageScore, IReadOnlyList<string> Standards, LevelCounts Levels);
