using Cairn.Catalogs;
using Cairn.Progress.Storage;
using Cairn.Projections;

namespace Cairn.Progress;

/// <summary>Progress cells computed with a point rule's older version (<c>scoreVersion</c>) are recomputed.</summary>
internal sealed class ProgressStaleRows(IProgressStore store) : ICatalogStaleRows
{
    public string Projection => ProgressProjection.Name;

    public async Task<int> QueueStaleAsync(CatalogSet catalogs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var catalog in catalogs.Games.Values)
        {
            foreach (var point in catalog.Points)
            {
                queued += await store.EnqueueStaleRecomputesAsync(catalog.Game, point.Id, point.Version, now, cancellationToken);
            }
        }
        return queued;
    }
}
