using Cairn.Catalogs;
using Cairn.Mastery.Storage;
using Cairn.Projections;

namespace Cairn.Mastery;

/// <summary>
/// Mastery rows computed with catalog or default parameters (<c>catalog:HASH</c>, <c>default</c>) other than the ones
/// their standard resolves to now are recomputed (the hash covers the standard's evidence rules too, so a changed rule
/// recomputes the rows of the standards it names). Rows computed with fitted parameters (<c>fit:N</c>) are left alone:
/// a fit requeues its own. Games without a catalog are not looked at.
/// </summary>
internal sealed class MasteryStaleRows(IMasteryStore store) : ICatalogStaleRows
{
    public string Projection => MasteryProjection.Name;

    public async Task<int> QueueStaleAsync(CatalogSet catalogs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var catalog in catalogs.Games.Values)
        {
            var settings = catalog.Mastery;
            // Standards with their own settings or evidence rules resolve to their own version; every other standard to the game's.
            var own = settings.StandardsWithOwnVersion.ToList();
            foreach (var standard in own)
            {
                queued += await store.EnqueueStaleAsync(catalog.Game, standard, [], MasteryProjection.VersionOf(settings, standard), now, cancellationToken);
            }
            queued += await store.EnqueueStaleAsync(catalog.Game, null, own, MasteryProjection.VersionOf(settings, null), now, cancellationToken);
        }
        return queued;
    }
}
