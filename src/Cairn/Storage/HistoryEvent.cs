using System.Text.Json;

namespace Cairn.Storage;

/// <summary>The part of a stored event the materializer reads.</summary>
/// <param name="Seq">The store's arrival sequence: what orders events of the same timestamp.</param>
internal sealed record HistoryEvent(string EventId, string EventType, DateTimeOffset Timestamp, JsonElement Data, long Seq);
