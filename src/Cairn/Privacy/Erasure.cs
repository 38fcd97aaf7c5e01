using Cairn.Identity;
using Cairn.Storage;

namespace Cairn.Privacy;

/// <summary>Erases a player under every key their data may be stored under (the current pepper and, mid-rotation, older ones).</summary>
internal static class Erasure
{
    public static async Task<ErasureCounts> EraseAsync(IEventStore store, PlayerKeyring keyring, string orgId, string rawPlayerId, CancellationToken cancellationToken)
    {
        var total = new ErasureCounts(0, 0, 0, 0, 0, 0, 0);
        foreach (var key in keyring.Candidates(orgId, rawPlayerId).Distinct(StringComparer.Ordinal))
        {
            var c = await store.ErasePlayerAsync(orgId, key, cancellationToken);
            total = new ErasureCounts(total.Events + c.Events, total.Rejected + c.Rejected, total.Jobs + c.Jobs, total.Progress + c.Progress,
                total.Changes + c.Changes, total.Memberships + c.Memberships, total.Directory + c.Directory);
        }
        return total;
    }
}
