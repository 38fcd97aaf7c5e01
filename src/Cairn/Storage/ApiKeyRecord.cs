namespace Cairn.Storage;

/// <summary>
/// An ingest key or a read token as stored: only the hash of the secret is kept. A read token has a role and a
/// scope (its org, and for teachers the teacher ids it covers, for a student the student's playerKey).
/// </summary>
internal sealed record ApiKeyRecord(
    string Id,
    string KeyHash,
    string OrgId,
    string Game,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    string? Role = null,
    IReadOnlyList<string>? Teachers = null,
    string? PlayerKey = null)
{
    public bool IsIngestKey => Role is null;
}
