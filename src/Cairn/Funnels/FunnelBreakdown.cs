namespace Cairn.Funnels;

/// <summary>The steps of the players whose first step's event had this breakdown value ("other": the rest, and those without one).</summary>
internal sealed record FunnelBreakdown(string Value, IReadOnlyList<FunnelStep> Steps);
