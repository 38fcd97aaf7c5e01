namespace Cairn.Storage;

/// <summary>One row of the private player directory: the only place a raw player id is kept.</summary>
internal sealed record DirectoryEntry(string OrgId, string PlayerKey, string RawPlayerId);
