namespace Cairn.PlayerState.Cache;

/// <summary>
/// The Redis keyspace of the hot cache. Every key that names a player is reachable from the player's index set
/// (<see cref="Index"/>) or is one of the active-player sets listed in <see cref="ActiveSets"/>, so erasure can remove them all.
/// </summary>
internal static class RedisKeys
{
    /// <summary>Bumped when this cache cannot vouch for what Redis holds (an outage, a restart): every entry of an older epoch is ignored.</summary>
    public const string Epoch = "cairn:hot:epoch";

    /// <summary>The names of every active-player set (one per org and game).</summary>
    public const string ActiveSets = "cairn:active:sets";

    /// <summary>Present once the active-player sets were loaded from the store (absent in an empty or lost Redis: they are rebuilt).</summary>
    public const string ActiveBuilt = "cairn:active:built";

    /// <summary>A player's write version: bumped before and after every write of the player's rows; an entry holds the one it was read under.</summary>
    public static string Version(string playerKey) => "cairn:hot:v:" + playerKey;

    /// <summary>The cached state of one (player, game): "epoch|version|json".</summary>
    public static string State(string playerKey, string game) => "cairn:hot:s:" + playerKey + ":" + game;

    /// <summary>The set of the player's state keys.</summary>
    public static string Index(string playerKey) => "cairn:hot:k:" + playerKey;

    /// <summary>The active-player set of an org and game: members playerKeys, scores the last event time (Unix milliseconds).</summary>
    public static string Active(string orgId, string game) => "cairn:active:" + orgId + ":" + game;
}
