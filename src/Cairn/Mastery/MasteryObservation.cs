namespace Cairn.Mastery;

/// <summary>One piece of evidence about one standard: an answer that was right or wrong, with its score in percent if it had one.</summary>
internal sealed record MasteryObservation(DateTimeOffset At, long Seq, string EventId, string EventType, bool Correct, double? Score);
