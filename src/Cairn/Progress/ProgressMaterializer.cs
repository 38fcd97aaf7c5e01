using Cairn.Catalogs;
using Cairn.Jobs;
using Cairn.Storage;

namespace Cairn.Progress;

/// <summary>The job handler: reads the player's relevant history and computes the point's row.</summary>
internal sealed class ProgressMaterializer(IEventStore store, CatalogRegistry catalogs, TimeProvider time) : IJobHandler
{
    public async Task<ProgressRow?> RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        // A point (or game) no longer in the catalog has no cell: its row, if any, is removed.
        if (catalogs.Current.For(job.Game) is not { } catalog || !catalog.PointsById.TryGetValue(job.PointId, out var point))
        {
            return null;
        }
        var history = await store.GetHistoryAsync(job.OrgId, job.Game, job.PlayerKey, point.EventTypes.ToList(), cancellationToken);
        return ProgressCalculator.Compute(catalog, point, job.OrgId, job.PlayerKey, history, time.GetUtcNow());
    }
}
