namespace Cairn.Storage;

/// <summary>How much work is queued: due or waiting jobs, jobs under a lease, dead-lettered jobs.</summary>
/// <param name="OldestPending">The earliest <c>run_after</c> of the jobs not under a lease (null when there are none):
/// when it has passed, that job has been due that long.</param>
internal sealed record JobCounts(long Pending, long Leased, long Dead, DateTimeOffset? OldestPending = null);
