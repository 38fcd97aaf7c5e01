using Cairn.Catalogs;
using Cairn.PlayerState.Storage;
using Cairn.Projections;

namespace Cairn.PlayerState;

/// <summary>
/// State rows computed with another version of their game's state and achievement rules (<see cref="PlayerStateRuleVersion"/>)
/// are recomputed, at start-up and after every catalog reload. Games without a catalog are not looked at.
/// </summary>
internal sealed class PlayerStateStaleRows(IPlayerStateStore store) : ICatalogStaleRows
{
    public string Projection => PlayerStateProjection.Name;

    public async Task<int> QueueStaleAsync(CatalogSet catalogs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var catalog in catalogs.Games.Values)
        {
            queued += await store.EnqueueStaleAsync(catalog.Game, PlayerStateRuleVersion.Of(catalog.PlayerState), now, cancellationToken);
        }
        return queued;
    }
}
