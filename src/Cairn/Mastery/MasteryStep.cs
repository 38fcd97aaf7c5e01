namespace Cairn.Mastery;

/// <summary>One observation of an explanation: what it was, the chance of a correct answer before it, and pMastery after it.</summary>
internal sealed record MasteryStep(DateTimeOffset At, string EventId, string EventType, bool Correct, double? Score, double PCorrectBefore, double PMasteryAfter);
