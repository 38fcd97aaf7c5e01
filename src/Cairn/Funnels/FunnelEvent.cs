namespace Cairn.Funnels;

/// <summary>An event as a funnel reads it: whose, when, its type and data, and the breakdown field's value (text) when asked.</summary>
internal sealed record FunnelEvent(string PlayerKey, DateTimeOffset At, string EventType, string Data, string? Group);
