using System.Text.Json;

namespace Cairn.Storage;

/// <summary>The part of a stored event the materializer reads.</summary>
internal sealed record HistoryEvent(string EventId, string EventType, DateTimeOffset Timestamp, JsonElement Data);
