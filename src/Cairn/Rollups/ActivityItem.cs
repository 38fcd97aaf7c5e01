namespace Cairn.Rollups;

/// <summary>One of the class's latest events.</summary>
internal sealed record ActivityItem(DateTimeOffset At, string EventId, string EventType, string PlayerKey, string DisplayName);
