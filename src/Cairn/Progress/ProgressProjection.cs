using Cairn.Catalogs;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Progress;

/// <summary>
/// The progress projection: one cell per (player, point) of a game's catalog, white / yellow / green. The catalog's
/// trigger index (compiled at load) says which points an event concerns; the handler reads the player's events of the
/// point's types and computes the cell (<see cref="ProgressCalculator"/>).
/// </summary>
internal sealed class ProgressProjection(IEventLog events, CatalogRegistry catalogs, TimeProvider time) : IProjection
{
    public const string Name = "progress";

    /// <summary>The progress tables with a playerKey: cells (recomputed on a rekey) and their change log (moved; purged by time).</summary>
    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
    [
        new("progress_points", Name, ["org_id", "game", "point_id"], JobKeyColumn: "point_id", RetentionColumn: null),
        new("progress_changes", Name, [], JobKeyColumn: null, RetentionColumn: "changed_at", Exported: false),
    ];

    string IProjection.Name => Name;

    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
        if (e.Catalog is { } match)
        {
            foreach (var point in match.Points)
            {
                keys.Add(point);
            }
        }
    }

    public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
    {
        // A point (or game) no longer in the catalog has no cell: its row, if any, is removed.
        if (catalogs.Current.For(job.Game) is not { } catalog || !catalog.PointsById.TryGetValue(job.Key, out var point))
        {
            return null;
        }
        var history = await events.GetHistoryAsync(job.OrgId, job.Game, job.PlayerKey, point.EventTypes.ToList(), cancellationToken);
        return ProgressCalculator.Compute(catalog, point, job.OrgId, job.PlayerKey, history, time.GetUtcNow());
    }
}
