namespace Cairn.Cohorts;

/// <summary>A day (days since 1970-01-01, UTC) on which a player had at least one event of the game.</summary>
internal readonly record struct ActiveDay(string PlayerKey, long Day);
