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

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? orgId, CancellationToken cancellationToken);

    /// <summary>Marks a key revoked; false when there is no such live key.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    // Jobs: the outbox of recomputes, written with the events that trigger them.

    /// <summary>Leases up to <paramref name="max"/> due jobs whose lease is free or expired.</summary>
    Task<IReadOnlyList<JobLease>> ClaimJobsAsync(string workerId, int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the job's result (a row, or null to remove the row) and, if no new trigger arrived meanwhile,
    /// deletes the job; otherwise frees it to run again. Returns whether the job is gone.
    /// </summary>
    Task<bool> CompleteJobAsync(JobLease job, string workerId, string pointId, ProgressRow? row, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CompleteJobAsync"/> for several jobs of one worker, in one transaction: each job on its own terms (one
    /// whose lease the worker lost writes nothing, the others are stored), their changes logged in the order given.
    /// Returns, in that order, whether each job is gone. On PostgreSQL a job another transaction holds locked (a trigger
    /// being committed for it) is completed on its own right after, instead of waiting inside the batch's transaction.
    /// </summary>
    Task<IReadOnlyList<bool>> CompleteJobsAsync(IReadOnlyList<JobCompletion> completions, string workerId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Schedules a retry at <paramref name="retryAt"/>, or dead-letters the job when it is null.</summary>
    Task FailJobAsync(JobLease job, string workerId, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadJob>> ListDeadJobsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Requeues one dead job (by id) or all of them (null). Returns how many.</summary>
    Task<int> RetryDeadJobsAsync(long? id, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobCounts> CountJobsAsync(CancellationToken cancellationToken);

    /// <summary>Queues a recompute of every row of a point whose scoreVersion is not <paramref name="currentVersion"/>.</summary>
    Task<int> EnqueueStaleRecomputesAsync(string game, string pointId, string currentVersion, DateTimeOffset now, CancellationToken cancellationToken);

    // Progress: materialized rows, and the history they are computed from.

    /// <summary>A player's events of the given types, oldest first: by timestamp, then by arrival (seq), never by eventId.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string orgId, string game, string playerKey, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProgressRow>> GetPlayerProgressAsync(string playerKey, string? game, CancellationToken cancellationToken);

    // Groups (classes) and their rosters.

    /// <summary>
    /// Creates the group or updates its name and teachers. A group is keyed by (org, id): ids are unique per org only.
    /// False when the org already has a group of this id for another game.
    /// </summary>
    Task<bool> UpsertGroupAsync(GroupRecord group, CancellationToken cancellationToken);

    Task<GroupRecord?> GetGroupAsync(string orgId, string groupId, CancellationToken cancellationToken);

    /// <summary>The groups of every org with this id (for the admin token, which spans orgs).</summary>
    Task<IReadOnlyList<GroupRecord>> FindGroupsAsync(string groupId, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(string? orgId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a group's roster; members' raw ids and display names go to the player directory. A member who stays keeps
    /// their seat; one who joins gets the next. A name given with <paramref name="lockNames"/> (an org admin's roster) is
    /// kept from then on against rosters without it; a name given without it only replaces a name no org admin set.
    /// </summary>
    Task<RosterChange> ReplaceMembersAsync(
        string groupId, string orgId, IReadOnlyList<DirectoryEntry> members, IReadOnlyList<string?> displayNames, bool lockNames, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupMember>> GetMembersAsync(string orgId, string groupId, CancellationToken cancellationToken);

    /// <summary>Every progress row of the group's members for the group's game.</summary>
    Task<IReadOnlyList<ProgressRow>> GetGroupProgressAsync(GroupRecord group, CancellationToken cancellationToken);

    /// <summary>The newest change sequence number (0 when none): a cursor that is "now".</summary>
    Task<long> GetLatestChangeAsync(CancellationToken cancellationToken);

    /// <summary>Cells of the group's members changed after <paramref name="afterSeq"/>, oldest first, with their current state.</summary>
    Task<IReadOnlyList<CellChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The groups a player is a member of (to decide which teachers' scopes cover them).</summary>
    Task<IReadOnlyList<GroupRecord>> GetGroupsOfPlayerAsync(string playerKey, CancellationToken cancellationToken);

    // Browser sessions, shared by every server on the store.

    /// <summary>Stores a new session and deletes expired ones.</summary>
    Task CreateSessionAsync(SessionRecord session, DateTimeOffset now, CancellationToken cancellationToken);

    Task<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken);

    Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken);

    // Privacy: the directory, consent, audit, erasure, retention, export.

    Task<PlayerInfo?> GetPlayerAsync(string playerKey, CancellationToken cancellationToken);

    /// <summary>Sets consent and age flags (creating the directory row if needed). Under 13 without parental consent keeps no name.</summary>
    Task SetConsentAsync(ConsentRecord consent, CancellationToken cancellationToken);

    /// <summary>Every player who opted out (ingest keeps these in memory and drops their events).</summary>
    Task<IReadOnlyList<PlayerInfo>> ListOptedOutAsync(CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Removes everything of one player: events, quarantined events, jobs, progress and its change log, memberships, the directory row.</summary>
    Task<ErasureCounts> ErasePlayerAsync(string orgId, string playerKey, CancellationToken cancellationToken);

    /// <summary>Deletes the events a retention rule says are too old. Returns how many.</summary>
    Task<long> PurgeAsync(PurgeRule rule, CancellationToken cancellationToken);

    /// <summary>
    /// Trims the quarantine: deletes rejected events received before <paramref name="receivedBefore"/>, then the oldest
    /// beyond the caps of each org and game and of each org (<see cref="StorageOptions"/>). Returns the rows deleted.
    /// </summary>
    Task<long> TrimRejectedAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken);

    /// <summary>Events in (timestamp, seq) order, read as they are written out: constant memory, whatever the size.</summary>
    IAsyncEnumerable<StoredEvent> ExportEventsAsync(ExportFilter filter, CancellationToken cancellationToken);

    IAsyncEnumerable<ProgressRow> ExportProgressAsync(ExportFilter filter, CancellationToken cancellationToken);

    /// <summary>Directory rows whose playerKey does not start with <paramref name="currentPrefix"/> (keys of an older pepper).</summary>
    Task<IReadOnlyList<PlayerInfo>> ListPlayersNotKeyedWithAsync(string currentPrefix, int limit, CancellationToken cancellationToken);

    /// <summary>Moves everything of a player from an old key to a new one (pepper rotation). Returns the rows moved.</summary>
    Task<long> RekeyPlayerAsync(string oldKey, string newKey, CancellationToken cancellationToken);
}
