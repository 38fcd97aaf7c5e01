namespace Cairn.Storage;

/// <summary>
/// Privacy operations over every table that holds a playerKey (<see cref="PlayerData"/>: the core tables and each
/// projection's), so a new projection's tables are erased, purged, exported and rekeyed without editing this contract.
/// </summary>
internal interface IPrivacyStore
{
    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Removes everything of one player from every table of <see cref="PlayerData"/>; returns the rows removed per table.</summary>
    Task<ErasureCounts> ErasePlayerAsync(string orgId, string playerKey, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the events a retention rule says are too old, and the rows of every table that keeps a time
    /// (<see cref="PlayerKeyTable.RetentionColumn"/>) older than the same cutoff. Returns the events deleted.
    /// </summary>
    Task<long> PurgeAsync(PurgeRule rule, CancellationToken cancellationToken);

    /// <summary>
    /// Every row of every projection table of <see cref="PlayerData"/> that is exported, table by table, read as it is
    /// written out: of one org (null: every org) and of the given players (null: all of them).
    /// </summary>
    IAsyncEnumerable<PlayerDataRow> ExportPlayerDataAsync(string? orgId, IReadOnlyCollection<string>? playerKeys, CancellationToken cancellationToken);

    /// <summary>
    /// Moves everything of a player from an old key to a new one (pepper rotation) in every table of <see cref="PlayerData"/>;
    /// a projection's rows that exist under both keys are recomputed from the merged history. Returns the rows moved.
    /// </summary>
    Task<long> RekeyPlayerAsync(string oldKey, string newKey, CancellationToken cancellationToken);
}
