using System.Collections.Concurrent;
using Cairn.Storage;

namespace Cairn.Access;

/// <summary>
/// The players who opted out, held in memory so ingest drops their events without reading the store.
/// Changes made in this process apply at once; changes made by another process within <see cref="OptOutSync"/>'s period.
/// Until the list has been loaded once (<see cref="IsLoaded"/>), ingest refuses events with a 503 rather than store
/// events of a player who may have opted out.
/// </summary>
internal sealed class OptOuts
{
    private ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    public bool IsLoaded => _loaded;

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

    /// <summary>Replaces the set. The same key may come more than once (stored and current key are equal outside a rotation).</summary>
    public void Replace(IEnumerable<string> playerKeys)
    {
        var next = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        foreach (var key in playerKeys)
        {
            next[key] = 0;
        }
        Volatile.Write(ref _keys, next);
        _loaded = true;
    }

    /// <summary>Replaces the set from the directory: each player under its stored key and its current key (a rotation may be under way).</summary>
    public void Replace(IEnumerable<PlayerInfo> players, Identity.PlayerKeys current) =>
        Replace(players.SelectMany(p => string.IsNullOrWhiteSpace(p.RawPlayerId)
            ? [p.PlayerKey]
            : new[] { p.PlayerKey, current.Compute(p.OrgId, p.RawPlayerId) }));

    public static async Task<OptOuts> LoadAsync(IPlayerDirectory store, Identity.PlayerKeys current, CancellationToken cancellationToken)
    {
        var optOuts = new OptOuts();
        optOuts.Replace(await store.ListOptedOutAsync(cancellationToken), current);
        return optOuts;
    }
}
