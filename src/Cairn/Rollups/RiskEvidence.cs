namespace Cairn.Rollups;

/// <summary>What a flag rests on; only the fields its rule uses are set.</summary>
/// <param name="Assignments">The assignments concerned (missing ones; the two compared; the ungraded ones).</param>
/// <param name="Scores">The scores compared, in percent, in the order of <paramref name="Assignments"/>.</param>
/// <param name="Median">The class median of completion rates (0–1).</param>
/// <param name="CompletionRate">The student's completion rate (0–1).</param>
/// <param name="LastEventAt">The student's latest event (inactive).</param>
/// <param name="Points">The progress points started and not completed (stuck).</param>
/// <param name="Since">Since when: the oldest missing assignment, the oldest stuck start, the last event.</param>
internal sealed record RiskEvidence(
    IReadOnlyList<string>? Assignments = null, IReadOnlyList<double>? Scores = null, double? Median = null, double? CompletionRate = null,
    DateTimeOffset? LastEventAt = null, IReadOnlyList<string>? Points = null, DateTimeOffset? Since = null);
