namespace Cairn.Rollups;

/// <summary>
/// What the rollup job stored about one student of a class: the evidence the risk flags are evaluated from (against the
/// time of the read, so time-based flags turn on without new events).
/// </summary>
/// <param name="CompletionRate">Graded over assigned (null without assignments).</param>
/// <param name="AverageScore">Mean of the latest grade of each graded assignment, in percent.</param>
/// <param name="LastEventAt">The time of the student's latest event in the class's game (null: none).</param>
internal sealed record StudentFacts(
    string PlayerKey, int Assigned, int Graded, double? CompletionRate, double? AverageScore, DateTimeOffset? LastEventAt,
    IReadOnlyList<AssignmentFact> Assignments, IReadOnlyList<StartedPoint> Started);
