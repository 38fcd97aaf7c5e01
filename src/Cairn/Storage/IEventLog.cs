namespace Cairn.Storage;

/// <summary>
/// The event log: every accepted event once, the quarantine of rejected ones, and the histories projections read.
/// Writes come from one writer at a time (the group-commit writer or an import).
/// </summary>
internal interface IEventLog
{
    /// <summary>
    /// Writes all batches in one transaction, with the directory rows they name and the jobs their new events trigger
    /// (the outbox). Returns, per batch and per event, whether the event was new (true) or a duplicate of one already
    /// stored, including earlier in the same call (false).
    /// </summary>
    Task<IReadOnlyList<bool[]>> WriteAsync(IReadOnlyList<WriteBatch> batches, CancellationToken cancellationToken);

    Task<Page<StoredEvent>> GetTimelineAsync(TimelineQuery query, CancellationToken cancellationToken);

    Task<Page<StoredRejected>> ListRejectedAsync(string? orgId, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>Events of one org and source, newest stored first (oldest with <see cref="SourceQuery.Ascending"/>), at most Limit.</summary>
    Task<IReadOnlyList<StoredEvent>> QuerySourceAsync(SourceQuery query, CancellationToken cancellationToken);

    Task<long> CountEventsAsync(string? orgId, CancellationToken cancellationToken);

    /// <summary>A player's events of the given types, oldest first: by timestamp, then by arrival (seq), never by eventId.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string orgId, string game, string playerKey, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken);

    /// <summary>
    /// Trims the quarantine: deletes rejected events received before <paramref name="receivedBefore"/>, then the oldest
    /// beyond the caps of each org and game and of each org (<see cref="StorageOptions"/>). Returns the rows deleted.
    /// </summary>
    Task<long> TrimRejectedAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken);

    /// <summary>Events in (timestamp, seq) order, read as they are written out: constant memory, whatever the size.</summary>
    IAsyncEnumerable<StoredEvent> ExportEventsAsync(ExportFilter filter, CancellationToken cancellationToken);
}
