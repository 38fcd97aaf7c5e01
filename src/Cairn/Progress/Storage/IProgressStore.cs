using Cairn.Storage;

namespace Cairn.Progress.Storage;

/// <summary>The read side of the progress projection: cells (one per player and point) and the log of their changes.</summary>
internal interface IProgressStore
{
    Task<IReadOnlyList<ProgressRow>> GetPlayerProgressAsync(string playerKey, string? game, CancellationToken cancellationToken);

    /// <summary>Every progress row of the group's members for the group's game.</summary>
    Task<IReadOnlyList<ProgressRow>> GetGroupProgressAsync(GroupRecord group, CancellationToken cancellationToken);

    /// <summary>The newest change sequence number (0 when none): a cursor that is "now".</summary>
    Task<long> GetLatestChangeAsync(CancellationToken cancellationToken);

    /// <summary>Cells of the group's members changed after <paramref name="afterSeq"/>, oldest first, with their current state.</summary>
    Task<IReadOnlyList<CellChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken);

    IAsyncEnumerable<ProgressRow> ExportProgressAsync(ExportFilter filter, CancellationToken cancellationToken);

    /// <summary>Queues a recompute of every row of a point whose scoreVersion is not <paramref name="currentVersion"/>.</summary>
    Task<int> EnqueueStaleRecomputesAsync(string game, string pointId, string currentVersion, DateTimeOffset now, CancellationToken cancellationToken);
}
