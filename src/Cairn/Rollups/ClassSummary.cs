namespace Cairn.Rollups;

/// <summary>
/// A class's totals: assigned and graded count (student, assignment) pairs; completion is graded over assigned; the average
/// is over the latest grade of every graded pair; the median is of the completion rates of students with assignments.
/// </summary>
internal sealed record ClassSummary(
    int Students, int Assigned, int Graded, double? CompletionRate, double? AverageScore, double? MedianCompletion, DateTimeOffset ComputedAt);
