namespace Cairn.Storage;

/// <summary>
/// The store contract. Every implementation must pass the store compliance tests.
/// Writes are called by one writer at a time (the group-commit writer or an import).
/// </summary>
internal interface IEventStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema to the newest version.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the store answers and every migration has been applied.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes all batches in one transaction. Returns, per batch and per event, whether the event was new
    /// (true) or a duplicate of one already stored, including earlier in the same call (false).
    /// </summary>
    Task<IReadOnlyList<bool[]>> WriteAsync(IReadOnlyList<WriteBatch> batches, CancellationToken cancellationToken);

    Task<Page<StoredEvent>> GetTimelineAsync(TimelineQuery query, CancellationToken cancellationToken);

    Task<Page<StoredRejected>> ListRejectedAsync(string? orgId, int limit, string? cursor, CancellationToken cancellationToken);

    Task<long> CountEventsAsync(string? orgId, CancellationToken cancellationToken);

    /// <summary>Whether the directory knows this playerKey (the raw id is never returned from here).</summary>
    Task<bool> PlayerExistsAsync(string playerKey, CancellationToken cancellationToken);

    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken);
}
