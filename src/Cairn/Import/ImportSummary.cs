namespace Cairn.Import;

/// <summary>What an import did: counts, and rejected events by reason code.</summary>
/// <param name="Dropped">Events of players who opted out: not stored.</param>
internal sealed record ImportSummary(long Rows, long Accepted, long Duplicates, long Rejected, IReadOnlyDictionary<string, long> RejectedByReason, long Dropped = 0);
