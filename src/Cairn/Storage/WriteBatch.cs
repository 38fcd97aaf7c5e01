namespace Cairn.Storage;

/// <summary>What one ingest request (or one import chunk) writes, atomically with the others in its commit.</summary>
internal sealed record WriteBatch(
    IReadOnlyList<EventRecord> Events,
    IReadOnlyList<RejectedRecord> Rejected,
    IReadOnlyList<DirectoryEntry> Directory);
