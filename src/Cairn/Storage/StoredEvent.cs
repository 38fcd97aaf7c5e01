using System.Text.Json;

namespace Cairn.Storage;

/// <summary>An event as read back from the store.</summary>
internal sealed record StoredEvent(
    long Seq,
    string EventId,
    string EventType,
    DateTimeOffset Timestamp,
    string Game,
    string Source,
    string? PlayerKey,
    string? SessionId,
    string? EventKey,
    JsonElement Data,
    JsonElement? Device,
    JsonElement? Context,
    string? SchemaVersion,
    string PrivacyLevel,
    DateTimeOffset ReceivedAt);
