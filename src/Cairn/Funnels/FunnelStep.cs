namespace Cairn.Funnels;

/// <summary>
/// One step's figures: the players who reached it, conversion from the first and the previous step (0 to 1), the median and
/// 90th percentile of the seconds from the previous step (nearest rank; none for the first step and for the <c>any</c> order),
/// and how many players reached the previous step but not this one.
/// </summary>
internal sealed record FunnelStep(
    int Step, string Label, long Players, double ConversionFromFirst, double ConversionFromPrevious, double? MedianSecondsFromPrevious,
    double? P90SecondsFromPrevious, long Dropped);
