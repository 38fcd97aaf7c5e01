namespace Cairn.Storage;

/// <summary>What one ingest request (or one import chunk) writes, atomically with the others in its commit.</summary>
internal sealed record WriteBatch(
    IReadOnlyList<EventRecord> Events,
    IReadOnlyList<RejectedRecord> Rejected,
    IReadOnlyList<DirectoryEntry> Directory)
{
    /// <summary>The size of the batch's events as received (their raw JSON, after gzip), for the write metrics.</summary>
    public long Bytes { get; init; }
}
