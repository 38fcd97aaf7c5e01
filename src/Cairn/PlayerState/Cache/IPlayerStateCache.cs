namespace Cairn.PlayerState.Cache;

/// <summary>
/// The hot cache in front of the player-state store. Writers bracket every change of a player's rows (<see cref="WritingAsync"/>
/// before the transaction, <see cref="WrittenAsync"/> after it committed or failed; erasure and rekeying likewise with
/// <see cref="ForgettingAsync"/> / <see cref="ForgottenAsync"/>): between the two, reads of that player go to the store, and a
/// value read from the store while a write was under way is never kept. So a read that starts after a write committed
/// never returns what was there before. None of these methods throws for a cache failure: the store answers instead.
/// </summary>
internal interface IPlayerStateCache
{
    /// <summary>"memory", "redis" or "none": the <c>backend</c> label of the metrics.</summary>
    string Backend { get; }

    /// <summary>The cached state of (player, game), or <paramref name="load"/>'s answer from the store (kept when nothing changed meanwhile).</summary>
    Task<HotState> GetAsync(string playerKey, string game, Func<CancellationToken, Task<HotState>> load, CancellationToken cancellationToken);

    /// <summary>Before a transaction that writes these players' state rows.</summary>
    Task WritingAsync(IReadOnlyCollection<string> playerKeys);

    /// <summary>After that transaction (committed or not): the entries go, and (committed) the active-player sets learn the new times.</summary>
    Task WrittenAsync(IReadOnlyCollection<string> playerKeys, IReadOnlyList<HotWrite> committed);

    /// <summary>Before a player's rows are erased or moved to another key.</summary>
    Task ForgettingAsync(string playerKey);

    /// <summary>After that: every cached entry of the player (state, active-player set membership) is removed.</summary>
    Task ForgottenAsync(string playerKey);
}
