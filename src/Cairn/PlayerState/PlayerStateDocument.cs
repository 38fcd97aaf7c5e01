namespace Cairn.PlayerState;

/// <summary>
/// A player's state in one game, as stored (one JSON document per org, game and player) and as the API gives it.
/// </summary>
/// <param name="WaypointsCompletedAt">When the last of the game's declared waypoints was first visited (null: not all, or none declared).</param>
/// <param name="PlaytimeSeconds">
/// The sum of the gaps between consecutive counted events (those <see cref="StartedAt"/> and <see cref="LastPlayedAt"/> count)
/// shorter than the game's inactivity threshold (<see cref="PlayerStateRules.Inactivity"/>); 0 in rows stored before it existed.
/// </param>
internal sealed record PlayerStateDocument(
    string? Location,
    IReadOnlyList<string> Inventory,
    IReadOnlyList<VisitedWaypoint> Visited,
    IReadOnlyList<QuestMark> ActiveQuests,
    IReadOnlyList<QuestMark> CompletedQuests,
    IReadOnlyDictionary<string, bool> Flags,
    IReadOnlyDictionary<string, double> Counters,
    DateTimeOffset StartedAt,
    DateTimeOffset LastPlayedAt,
    DateTimeOffset? WaypointsCompletedAt,
    double PlaytimeSeconds = 0);
