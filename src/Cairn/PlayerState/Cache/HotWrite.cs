namespace Cairn.PlayerState.Cache;

/// <summary>One player-state row a job wrote (or removed: <paramref name="LastPlayedAt"/> null), told to the cache after its commit.</summary>
internal sealed record HotWrite(string OrgId, string Game, string PlayerKey, DateTimeOffset? LastPlayedAt);
