namespace Cairn.PlayerState.Cache;

/// <summary>A member of an active-player set: a player of an org and game and their last event time.</summary>
internal sealed record ActivePlayer(string PlayerKey, DateTimeOffset LastPlayedAt);
