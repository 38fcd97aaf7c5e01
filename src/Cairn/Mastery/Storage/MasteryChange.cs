namespace Cairn.Mastery.Storage;

/// <summary>
/// One entry of the mastery change log joined with the row as it is now: null <paramref name="PMastery"/> and
/// <paramref name="Level"/> when the row is gone (its player's evidence was erased or no longer names the standard).
/// </summary>
internal sealed record MasteryChange(long Seq, string PlayerKey, string StandardId, double? PMastery, string? Level, int Observations, DateTimeOffset? LastAt);
