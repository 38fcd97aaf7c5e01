using Cairn.Storage;

namespace Cairn.Players;

/// <summary>One page of a player's timeline, newest first.</summary>
internal sealed record TimelineResponse(string PlayerKey, IReadOnlyList<StoredEvent> Events, string? NextCursor);
