using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.PlayerState;

/// <summary>
/// How far a player is through a game: the share of the catalog's points completed when it has points, else of its declared
/// waypoints visited; with the time the last one was reached (<see cref="CompletedAt"/>, null until all are).
/// </summary>
internal sealed record PlayerCompletion(double Percent, string Of, int Done, int Total, DateTimeOffset? CompletedAt)
{
    /// <returns>Null when the game has neither points nor waypoints (or no catalog).</returns>
    public static PlayerCompletion? For(GameCatalog? catalog, IEnumerable<ProgressRow> progress, PlayerStateDocument? state)
    {
        if (catalog is null)
        {
            return null;
        }
        if (catalog.Points.Count > 0)
        {
            var completed = progress.Where(r => r.CompletionTime is not null && catalog.PointsById.ContainsKey(r.PointId))
                .GroupBy(r => r.PointId, StringComparer.Ordinal).Select(g => g.Min(r => r.CompletionTime!.Value)).ToList();
            return Make("points", completed.Count, catalog.Points.Count, completed.Count == catalog.Points.Count ? completed.Max() : null);
        }
        var waypoints = catalog.PlayerState.Waypoints;
        if (waypoints.Count == 0)
        {
            return null;
        }
        var visited = state?.Visited.Count(v => waypoints.Contains(v.WaypointId, StringComparer.Ordinal)) ?? 0;
        return Make("waypoints", visited, waypoints.Count, state?.WaypointsCompletedAt);
    }

    private static PlayerCompletion Make(string of, int done, int total, DateTimeOffset? at) =>
        new(Math.Round(100.0 * done / total, 1), of, done, total, done == total ? at : null);
}
