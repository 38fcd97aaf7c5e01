using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Progress.Storage;

/// <summary>
/// The progress projection's tables on PostgreSQL: its cells, their change log (ordered by an advisory lock and announced
/// with <c>NOTIFY</c> on <see cref="ProgressChannel"/>), and the writer its jobs complete with.
/// </summary>
internal sealed class PostgresProgressStore(PostgresDatabase db) : IProgressStore, IProjectionStore
{
    /// <summary>The channel on which committed progress changes are announced (payload: the change sequence).</summary>
    public const string ProgressChannel = "cairn_progress";

    /// <summary>
    /// Advisory lock key that orders progress changes, and mastery changes too: one key for both logs, so a transaction
    /// that completes jobs of both projections can never wait on the two in the other order than another (a deadlock).
    /// </summary>
    internal const long ChangeLogLock = 0x43_41_49_52_4E_02;

    public string Projection => ProgressProjection.Name;

    /// <summary>
    /// The progress tables were created by the core migrations before projections had their own (version 1); the
    /// projection's own versions follow.
    /// </summary>
    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        // A started, not completed cell ('started') keeps when it started; a completed one keeps its start too.
        (1, "ALTER TABLE progress_points ADD COLUMN started_at timestamptz;"),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => ProgressProjection.PlayerTables;

    public async Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (NpgsqlTransaction)transaction;
        // The classes of the player recompute their rollups from this cell (coalesced with their other triggers).
        await Rollups.RollupTriggers.EnqueueClassesOfAsync(tx.Connection!, tx, job.OrgId, job.Game, job.PlayerKey, now, cancellationToken);
        await ApplyProgressAsync(tx.Connection!, tx, job.OrgId, job.Game, job.PlayerKey, job.Key, (ProgressRow?)result, now, cancellationToken);
    }

    /// <summary>Upserts or removes one cell, and logs (and announces) the change only when a reader would see one.</summary>
    private static async Task ApplyProgressAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string org, string game, string playerKey, string pointId, ProgressRow? row,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? existing = null;
        await using (var current = Command(connection, tx, """
            SELECT status, score, duration_seconds, count, completed_at, score_version, trigger_event_id, started_at
            FROM progress_points WHERE org_id = $1 AND game = $2 AND player_key = $3 AND point_id = $4;
            """, org, game, playerKey, pointId))
        await using (var reader = await current.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                existing = Describe(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetDouble(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), Utc(reader.GetDateTime(4)), reader.GetString(5), reader.GetString(6),
                    reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)));
            }
        }
        if (row is null)
        {
            if (existing is null)
            {
                return;
            }
            await using var delete = Command(connection, tx,
                "DELETE FROM progress_points WHERE org_id = $1 AND game = $2 AND player_key = $3 AND point_id = $4;", org, game, playerKey, pointId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            await LogChangeAsync(connection, tx, org, game, playerKey, pointId, null, now, cancellationToken);
            return;
        }
        if (Describe(row.Status, row.Score, row.DurationSeconds, row.Count, row.CompletedAt, row.ScoreVersion, row.TriggerEventId, row.StartedAt) == existing)
        {
            return;
        }
        var seq = await LogChangeAsync(connection, tx, org, game, playerKey, pointId, row.Status, now, cancellationToken);
        await using var upsert = Command(connection, tx, """
            INSERT INTO progress_points (org_id, game, player_key, point_id, status, score, duration_seconds, count,
                                         completed_at, score_version, trigger_event_id, updated_at, change_seq, started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET
                status = excluded.status, score = excluded.score, duration_seconds = excluded.duration_seconds,
                count = excluded.count, completed_at = excluded.completed_at, score_version = excluded.score_version,
                trigger_event_id = excluded.trigger_event_id, updated_at = excluded.updated_at, change_seq = excluded.change_seq,
                started_at = excluded.started_at;
            """, org, game, playerKey, pointId, row.Status, row.Score, row.DurationSeconds, row.Count, row.CompletedAt, row.ScoreVersion,
            row.TriggerEventId, now, seq, row.StartedAt);
        upsert.Parameters[13].NpgsqlDbType = NpgsqlDbType.TimestampTz;
        upsert.Parameters[5].NpgsqlDbType = NpgsqlDbType.Double;
        upsert.Parameters[6].NpgsqlDbType = NpgsqlDbType.Double;
        upsert.Parameters[7].NpgsqlDbType = NpgsqlDbType.Integer;
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Describe(
        string status, double? score, double? duration, int? count, DateTimeOffset completedAt, string version, string trigger, DateTimeOffset? startedAt) =>
        string.Join('|', status, Convert.ToString(score, CultureInfo.InvariantCulture), Convert.ToString(duration, CultureInfo.InvariantCulture),
            Convert.ToString(count, CultureInfo.InvariantCulture), TimeCodec.ToMicros(completedAt).ToString(CultureInfo.InvariantCulture), version, trigger,
            startedAt is { } started ? TimeCodec.ToMicros(started).ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>
    /// Appends to the change log. The advisory lock makes sequence order equal commit order, so a reader that has
    /// seen change N has seen every change before it: cursors and Last-Event-ID never skip a change.
    /// </summary>
    private static async Task<long> LogChangeAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string org, string game, string playerKey, string pointId, string? status,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({ChangeLogLock});", cancellationToken);
        await using var log = Command(connection, tx, """
            INSERT INTO progress_changes (org_id, game, player_key, point_id, status, changed_at)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq;
            """, org, game, playerKey, pointId, status, now);
        var seq = (long)(await log.ExecuteScalarAsync(cancellationToken))!;
        await using var notify = Command(connection, tx, "SELECT pg_notify($1, $2);", ProgressChannel, seq.ToString(CultureInfo.InvariantCulture));
        await notify.ExecuteNonQueryAsync(cancellationToken);
        return seq;
    }

    public async Task<IReadOnlyList<ProgressRow>> GetPlayerProgressAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {ProgressColumns} FROM progress_points p
            WHERE p.player_key = $1 AND ($2::text IS NULL OR p.game = $2) ORDER BY p.game, p.point_id COLLATE "C";
            """, connection);
        command.Parameters.AddWithValue(playerKey);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)game ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadProgressRowsAsync(command, cancellationToken);
    }

    private const string ProgressColumns = """
        p.org_id, p.game, p.player_key, p.point_id, p.status, p.score, p.duration_seconds, p.count, p.completed_at,
        p.score_version, p.trigger_event_id, p.updated_at, p.started_at
        """;

    private static async Task<IReadOnlyList<ProgressRow>> ReadProgressRowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ProgressRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadProgressRow(reader));
        }
        return rows;
    }

    private static ProgressRow ReadProgressRow(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7), Utc(reader.GetDateTime(8)), reader.GetString(9), reader.GetString(10),
        Utc(reader.GetDateTime(11)), reader.IsDBNull(12) ? null : Utc(reader.GetDateTime(12)));

    public async Task<IReadOnlyList<ProgressRow>> GetGroupProgressAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {ProgressColumns} FROM group_members m
            JOIN progress_points p ON p.player_key = m.player_key AND p.game = $2 AND p.org_id = $3
            WHERE m.org_id = $3 AND m.group_id = $1;
            """, connection);
        command.Parameters.AddWithValue(group.Id);
        command.Parameters.AddWithValue(group.Game);
        command.Parameters.AddWithValue(group.OrgId);
        return await ReadProgressRowsAsync(command, cancellationToken);
    }

    public async Task<long> GetLatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(seq), 0) FROM progress_changes;", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<CellChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT c.seq, c.player_key, c.point_id, p.status, p.score, p.completed_at, p.started_at
            FROM progress_changes c
            JOIN group_members m ON m.org_id = c.org_id AND m.group_id = $1 AND m.player_key = c.player_key
            LEFT JOIN progress_points p ON p.org_id = c.org_id AND p.game = c.game AND p.player_key = c.player_key AND p.point_id = c.point_id
            WHERE c.org_id = $2 AND c.game = $3 AND c.seq > $4
            ORDER BY c.seq LIMIT $5;
            """, connection);
        command.Parameters.AddWithValue(group.Id);
        command.Parameters.AddWithValue(group.OrgId);
        command.Parameters.AddWithValue(group.Game);
        command.Parameters.AddWithValue(afterSeq);
        command.Parameters.AddWithValue(limit);
        var changes = new List<CellChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new CellChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.IsDBNull(5) || (!reader.IsDBNull(3) && reader.GetString(3) == ProgressStatus.Started) ? null : Utc(reader.GetDateTime(5)),
                reader.IsDBNull(6) ? null : Utc(reader.GetDateTime(6))));
        }
        return changes;
    }

    public async IAsyncEnumerable<ProgressRow> ExportProgressAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {ProgressColumns} FROM progress_points p
            WHERE ($1::text IS NULL OR p.org_id = $1) AND ($2::text IS NULL OR p.game = $2)
              AND ($3::timestamptz IS NULL OR p.completed_at >= $3) AND ($4::timestamptz IS NULL OR p.completed_at < $4)
              AND ($5::text[] IS NULL OR p.player_key = ANY($5))
            ORDER BY p.game, p.player_key COLLATE "C", p.point_id COLLATE "C";
            """, connection);
        AddExportFilter(command, filter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadProgressRow(reader);
        }
    }

    public Task<int> EnqueueStaleRecomputesAsync(string game, string pointId, string currentVersion, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, """
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                SELECT $5, org_id, game, player_key, point_id, trigger_event_id, $1, $1 FROM progress_points
                WHERE game = $2 AND point_id = $3 AND score_version <> $4
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = jobs.version + 1;
                """, now, game, pointId, currentVersion, ProgressProjection.Name);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
