namespace Cairn.Rollups;

/// <summary>What a class's rollup job computes and its store keeps (rows per class, per assignment, per standard, per student).</summary>
internal sealed record ClassRollup(
    string GroupId, ClassSummary Summary, IReadOnlyList<AssignmentRollup> Assignments, IReadOnlyList<StandardRollup> Standards, IReadOnlyList<StudentFacts> Students);
