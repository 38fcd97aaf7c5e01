namespace Cairn.Storage;

/// <summary>A validated, pseudonymized event ready to be written. Holds no raw player identity.</summary>
/// <param name="Jobs">The projection keys this event makes stale (written as jobs with the event, if it is new).</param>
internal sealed record EventRecord(
    string OrgId,
    string Game,
    string Source,
    string EventId,
    string EventType,
    DateTimeOffset Timestamp,
    string? PlayerKey,
    string? SessionId,
    string? EventKey,
    string DataJson,
    string? DeviceJson,
    string? ContextJson,
    string? SchemaVersion,
    string PrivacyLevel,
    IReadOnlyList<Projections.JobKey>? Jobs = null);
