using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Privacy;

/// <summary>Erases a player under every key their data may be stored under (the current pepper and, mid-rotation, older ones).</summary>
internal static class Erasure
{
    /// <param name="cache">The hot cache of player state: told before and after each key's rows go, so it keeps nothing of them.</param>
    public static async Task<ErasureCounts> EraseAsync(
        IPrivacyStore store, PlayerKeyring keyring, string orgId, string rawPlayerId, CancellationToken cancellationToken, PlayerState.Cache.IPlayerStateCache? cache = null)
    {
        var total = ErasureCounts.None;
        foreach (var key in keyring.Candidates(orgId, rawPlayerId).Distinct(StringComparer.Ordinal))
        {
            if (cache is null)
            {
                total = total.Plus(await store.ErasePlayerAsync(orgId, key, cancellationToken));
                continue;
            }
            await cache.ForgettingAsync(key);
            try
            {
                total = total.Plus(await store.ErasePlayerAsync(orgId, key, cancellationToken));
            }
            finally
            {
                await cache.ForgottenAsync(key);
            }
        }
        return total;
    }
}
