namespace Cairn.PlayerState;

/// <summary>A visited waypoint and the time of its first visit.</summary>
internal sealed record VisitedWaypoint(string WaypointId, DateTimeOffset At);
