namespace Cairn.Cohorts;

/// <summary>The days each player was active, read from the event log (no pre-aggregation): one row per player and day.</summary>
internal interface IRetentionStore
{
    /// <summary>The active days of the org's game before <paramref name="to"/> (all of them: a cohort is the players first seen in an interval).</summary>
    Task<IReadOnlyList<ActiveDay>> GetActiveDaysAsync(string orgId, string game, DateTimeOffset to, IReadOnlyList<string>? players, CancellationToken cancellationToken);
}
