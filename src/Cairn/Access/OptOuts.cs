using System.Collections.Concurrent;
using Cairn.Storage;

namespace Cairn.Access;

/// <summary>
/// The players who opted out, held in memory so ingest drops their events without reading the store.
/// Changes made in this process apply at once; changes made by another process within <see cref="OptOutSync"/>'s period.
/// </summary>
internal sealed class OptOuts
{
    private ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    public bool Contains(string playerKey) => _keys.ContainsKey(playerKey);

    public void Set(string playerKey, bool optedOut)
    {
        if (optedOut)
        {
            _keys[playerKey] = 0;
        }
        else
        {
            _keys.TryRemove(playerKey, out _);
        }
    }

    public void Replace(IEnumerable<string> playerKeys) =>
        Volatile.Write(ref _keys, new ConcurrentDictionary<string, byte>(playerKeys.Select(k => KeyValuePair.Create(k, (byte)0)), StringComparer.Ordinal));

    /// <summary>Replaces the set from the directory: each player under its stored key and its current key (a rotation may be under way).</summary>
    public void Replace(IEnumerable<PlayerInfo> players, Identity.PlayerKeys current) =>
        Replace(players.SelectMany(p => new[] { p.PlayerKey, current.Compute(p.OrgId, p.RawPlayerId) }));

    public static async Task<OptOuts> LoadAsync(IEventStore store, Identity.PlayerKeys current, CancellationToken cancellationToken)
    {
        var optOuts = new OptOuts();
        optOuts.Replace(await store.ListOptedOutAsync(cancellationToken), current);
        return optOuts;
    }
}
