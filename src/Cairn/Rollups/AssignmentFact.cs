namespace Cairn.Rollups;

/// <summary>One assignment of one student in one class: when it first appeared, and its latest grade (percent).</summary>
internal sealed record AssignmentFact(string AssignmentId, DateTimeOffset AssignedAt, DateTimeOffset? GradedAt, double? Score, IReadOnlyList<string> Standards);
