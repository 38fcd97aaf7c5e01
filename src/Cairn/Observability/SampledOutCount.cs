namespace Cairn.Observability;

/// <summary>Events of one org, game and event type left out by sampling since the process started.</summary>
internal sealed record SampledOutCount(string Org, string Game, string EventType, long Events);
