namespace Cairn.Funnels;

/// <summary>Which events a funnel reads: one org's game in [From, To), of some types (null: all), optionally some players only.</summary>
internal sealed record FunnelRead(
    string OrgId, string Game, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? Players,
    (string Column, string Field)? Breakdown);
