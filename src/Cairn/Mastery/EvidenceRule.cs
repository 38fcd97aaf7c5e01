using Cairn.Catalogs;

namespace Cairn.Mastery;

/// <summary>
/// One item of a catalog's <c>mastery.evidence</c>: a progress point (green: a correct answer, yellow: a wrong one) or an
/// event pattern (<see cref="Correct"/> says what a match is; null: the event's <c>passed</c>, else its score against the
/// threshold), and the standards it is evidence of.
/// </summary>
internal sealed record EvidenceRule(string? Point, EventPattern? Event, IReadOnlyList<string> Standards, bool? Correct)
{
    /// <summary>A stable text of the rule, for parameter versions (a changed rule recomputes its standards' rows).</summary>
    public string Describe() =>
        (Point is not null ? "point=" + Point : "event=" + Event!.Describe() + ",correct=" + (Correct?.ToString() ?? "event"))
        + "->" + string.Join(",", Standards);
}
