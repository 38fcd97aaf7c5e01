namespace Cairn.Activity;

/// <summary>Which events an activity read counts: one org's game since a time, optionally one group's players only.</summary>
internal sealed record ActivityFilter(string OrgId, string Game, DateTimeOffset Since, IReadOnlyList<string>? Players);
