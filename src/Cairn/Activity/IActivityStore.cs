namespace Cairn.Activity;

/// <summary>
/// Figures read straight from the event log (not a projection): who played a game lately, and how much an event type was
/// sent. They scan the window's events (on PostgreSQL only the partitions of the window's days).
/// </summary>
internal interface IActivityStore
{
    /// <summary>The players with an event in the window, latest first.</summary>
    Task<IReadOnlyList<ActivePlayer>> GetActivePlayersAsync(ActivityFilter filter, CancellationToken cancellationToken);

    /// <param name="content">Only events whose data field (Field) has this value (its text), when given.</param>
    /// <param name="valueField">The numeric data field to average (e.g. time_spent), when given.</param>
    Task<EngagementFigures> GetEngagementAsync(
        ActivityFilter filter, string eventType, (string Field, string Value)? content, string? valueField, CancellationToken cancellationToken);

    /// <summary>Per value of a data field of an event type: events and players, most events first.</summary>
    Task<IReadOnlyList<ContentVisits>> GetContentVisitsAsync(ActivityFilter filter, string eventType, string field, CancellationToken cancellationToken);

    /// <summary>How many players of the scope earned each achievement of the game (the player-state projection's rows; no time window).</summary>
    Task<IReadOnlyDictionary<string, long>> GetAchievementCountsAsync(ActivityFilter filter, CancellationToken cancellationToken);
}
