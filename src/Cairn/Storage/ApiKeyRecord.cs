namespace Cairn.Storage;

/// <summary>An ingest key as stored: only the hash of the secret is kept.</summary>
internal sealed record ApiKeyRecord(string Id, string KeyHash, string OrgId, string Game, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
