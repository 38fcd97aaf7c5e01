namespace Cairn.Funnels;

/// <summary>
/// A funnel computed: the steps, the breakdown (null without one), per step the keys of the players who dropped there (index 0 is
/// always empty), and how many players an exclusion removed.
/// </summary>
internal sealed record FunnelOutcome(
    IReadOnlyList<FunnelStep> Steps, IReadOnlyList<FunnelBreakdown>? Breakdown, IReadOnlyList<IReadOnlyList<string>> Dropped, long Excluded);
