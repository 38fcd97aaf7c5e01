namespace Cairn.Import;

/// <summary>What an import did: counts, and rejected events by reason code.</summary>
internal sealed record ImportSummary(long Rows, long Accepted, long Duplicates, long Rejected, IReadOnlyDictionary<string, long> RejectedByReason);
