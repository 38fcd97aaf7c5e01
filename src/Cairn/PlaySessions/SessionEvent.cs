namespace Cairn.PlaySessions;

/// <summary>What the sessions projection reads of a stored event: its type, time and the context fields ingest stored.</summary>
internal sealed record SessionEvent(string EventType, DateTimeOffset Timestamp, string? Platform, string? Build, string? Country);
