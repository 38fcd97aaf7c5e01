namespace Cairn.Storage;

/// <summary>How much work is queued: due or waiting jobs, jobs under a lease, dead-lettered jobs.</summary>
internal sealed record JobCounts(long Pending, long Leased, long Dead);
