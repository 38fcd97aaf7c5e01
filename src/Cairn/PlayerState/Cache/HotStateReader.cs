using Cairn.PlayerState.Storage;

namespace Cairn.PlayerState.Cache;

/// <summary>The per-game reads of <see cref="PlayerStateApi"/> (state, inventory, visited): through the hot cache, else the store.</summary>
internal sealed class HotStateReader(IPlayerStateStore store, IPlayerStateCache cache)
{
    public Task<HotState> GetAsync(string playerKey, string game, CancellationToken cancellationToken) =>
        cache.GetAsync(playerKey, game, ct => LoadAsync(playerKey, game, ct), cancellationToken);

    private async Task<HotState> LoadAsync(string playerKey, string game, CancellationToken cancellationToken) =>
        new(await store.GetStatesAsync(playerKey, game, cancellationToken), await store.GetAchievementsAsync(playerKey, game, cancellationToken));
}
