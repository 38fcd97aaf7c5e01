namespace Cairn.Storage;

/// <summary>An event that failed validation, kept in quarantine with its reasons so it can be replayed.</summary>
/// <param name="RawJson">The payload as sent, with the raw player identity replaced by its playerKey.</param>
/// <param name="ReasonsJson">JSON array of <c>{path, code, message}</c>.</param>
internal sealed record RejectedRecord(
    string OrgId,
    string Game,
    string? EventId,
    string? PlayerKey,
    string RawJson,
    string ReasonsJson);
