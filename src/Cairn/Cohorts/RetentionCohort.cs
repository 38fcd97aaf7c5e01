namespace Cairn.Cohorts;

/// <summary>
/// The players first seen in an interval (<c>Start</c>), and per later interval (index 0: the cohort's own) how many of them
/// were active then and their share of the cohort (0 to 1).
/// </summary>
internal sealed record RetentionCohort(DateTimeOffset Start, long Players, IReadOnlyList<long> Active, IReadOnlyList<double> Share);
