namespace Cairn.Ingest;

/// <summary>A canonical event that passed validation; still holds the raw player id, which pseudonymization removes.</summary>
internal sealed record ValidatedEvent(
    string EventId,
    string EventType,
    DateTimeOffset Timestamp,
    string Game,
    string Source,
    string? RawPlayerId,
    string? SessionId,
    string DataJson,
    string? DeviceJson,
    string? ContextJson,
    string? SchemaVersion,
    string PrivacyLevel);
