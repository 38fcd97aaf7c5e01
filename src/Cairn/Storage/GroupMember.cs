namespace Cairn.Storage;

/// <summary>A roster entry, joined with the directory (the raw id is only for callers whose scope covers the player).</summary>
internal sealed record GroupMember(string PlayerKey, string RawPlayerId, string? DisplayName);
