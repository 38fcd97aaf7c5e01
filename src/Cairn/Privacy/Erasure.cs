using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Privacy;

/// <summary>Erases a player under every key their data may be stored under (the current pepper and, mid-rotation, older ones).</summary>
internal static class Erasure
{
    public static async Task<ErasureCounts> EraseAsync(IPrivacyStore store, PlayerKeyring keyring, string orgId, string rawPlayerId, CancellationToken cancellationToken)
    {
        var total = ErasureCounts.None;
        foreach (var key in keyring.Candidates(orgId, rawPlayerId).Distinct(StringComparer.Ordinal))
        {
            total = total.Plus(await store.ErasePlayerAsync(orgId, key, cancellationToken));
        }
        return total;
    }
}
