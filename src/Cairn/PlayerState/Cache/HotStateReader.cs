using Cairn.PlayerState.Storage;

namespace Cairn.PlayerState.Cache;

/// <summary>The per-game reads of <see cref="PlayerStateApi"/> (state, inventory, visited): through the hot cache, else the store.</summary>
internal sealed class HotStateReader(IPlayerStateStore store, IPlayerStateCache cache)
{
    /// <param name="achievements">
    /// Whether the caller needs the achievements (the state read does). A cached entry always has them; without a cache,
    /// inventory and visited read the state rows only, as they did before the cache.
    /// </param>
    public Task<HotState> GetAsync(string playerKey, string game, bool achievements, CancellationToken cancellationToken) =>
        cache is NoPlayerStateCache
            ? LoadAsync(playerKey, game, achievements, cancellationToken)
            : cache.GetAsync(playerKey, game, ct => LoadAsync(playerKey, game, true, ct), cancellationToken);

    private async Task<HotState> LoadAsync(string playerKey, string game, bool achievements, CancellationToken cancellationToken) =>
        new(await store.GetStatesAsync(playerKey, game, cancellationToken),
            achievements ? await store.GetAchievementsAsync(playerKey, game, cancellationToken) : []);
}
