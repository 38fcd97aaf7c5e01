namespace Cairn.Activity;

/// <summary>A player with an event in the window, and their latest event's time.</summary>
internal sealed record ActivePlayer(string PlayerKey, DateTimeOffset LastEventAt);
