namespace Cairn.Demo;

/// <summary>A simulated LMS student: who they are, their hidden skill per standard (0–1), and whether they drift into risk.</summary>
/// <param name="Drifts">From the middle of the term on, misses most submissions and scores lower and lower.</param>
internal sealed record LmsStudent(string PlayerId, string DisplayName, double Ability, IReadOnlyList<double> Skills, bool Drifts);
