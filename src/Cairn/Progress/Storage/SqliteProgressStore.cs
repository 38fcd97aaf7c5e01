using System.Data.Common;
using System.Runtime.CompilerServices;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Progress.Storage;

/// <summary>The progress projection's tables on SQLite: its cells, their change log, and the writer its jobs complete with.</summary>
internal sealed class SqliteProgressStore(SqliteDatabase db) : IProgressStore, IProjectionStore
{
    public string Projection => ProgressProjection.Name;

    /// <summary>
    /// The progress tables were created by the core migrations before projections had their own (version 2); the
    /// projection's own versions follow.
    /// </summary>
    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        // A started, not completed cell ('started') keeps when it started; a completed one keeps its start too.
        (1, "ALTER TABLE progress_points ADD COLUMN started_at INTEGER;"),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => ProgressProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (SqliteTransaction)transaction;
        // The classes of the player recompute their rollups from this row (coalesced with their other triggers).
        Rollups.RollupTriggers.EnqueueClassesOf(tx.Connection!, tx, job.OrgId, job.Game, job.PlayerKey, TimeCodec.ToMicros(now));
        ApplyProgress(tx.Connection!, tx, job.OrgId, job.Game, job.PlayerKey, job.Key, (ProgressRow?)result, now);
        return Task.CompletedTask;
    }

    /// <summary>Upserts or removes one cell, and logs the change only when something a reader sees changed.</summary>
    private static void ApplyProgress(
        SqliteConnection connection, SqliteTransaction tx, string org, string game, string playerKey, string pointId, ProgressRow? row, DateTimeOffset now)
    {
        using var current = Command(connection, tx, """
            SELECT status, score, duration_seconds, count, completed_at, score_version, trigger_event_id, started_at
            FROM progress_points WHERE org_id = $org AND game = $game AND player_key = $pk AND point_id = $point;
            """, ("$org", org), ("$game", game), ("$pk", playerKey), ("$point", pointId));
        string? existing = null;
        using (var reader = current.ExecuteReader())
        {
            if (reader.Read())
            {
                existing = string.Join('|', Enumerable.Range(0, 8).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        var nowMicros = TimeCodec.ToMicros(now);
        if (row is null)
        {
            if (existing is null)
            {
                return;
            }
            using var delete = Command(connection, tx,
                "DELETE FROM progress_points WHERE org_id = $org AND game = $game AND player_key = $pk AND point_id = $point;",
                ("$org", org), ("$game", game), ("$pk", playerKey), ("$point", pointId));
            delete.ExecuteNonQuery();
            LogChange(connection, tx, org, game, playerKey, pointId, null, nowMicros);
            return;
        }
        var next = string.Join('|', row.Status, Convert.ToString(row.Score, System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToString(row.DurationSeconds, System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToString(row.Count, System.Globalization.CultureInfo.InvariantCulture),
            TimeCodec.ToMicros(row.CompletedAt).ToString(System.Globalization.CultureInfo.InvariantCulture), row.ScoreVersion, row.TriggerEventId,
            row.StartedAt is { } started ? TimeCodec.ToMicros(started).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        if (next == existing)
        {
            return;
        }
        var seq = LogChange(connection, tx, org, game, playerKey, pointId, row.Status, nowMicros);
        using var upsert = Command(connection, tx, """
            INSERT INTO progress_points (org_id, game, player_key, point_id, status, score, duration_seconds, count,
                                         completed_at, score_version, trigger_event_id, updated_at, change_seq, started_at)
            VALUES ($org, $game, $pk, $point, $status, $score, $duration, $count, $completed, $version, $trigger, $now, $seq, $started)
            ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET
                status = excluded.status, score = excluded.score, duration_seconds = excluded.duration_seconds,
                count = excluded.count, completed_at = excluded.completed_at, score_version = excluded.score_version,
                trigger_event_id = excluded.trigger_event_id, updated_at = excluded.updated_at, change_seq = excluded.change_seq,
                started_at = excluded.started_at;
            """, ("$org", org), ("$game", game), ("$pk", playerKey), ("$point", pointId), ("$status", row.Status), ("$score", row.Score),
            ("$duration", row.DurationSeconds), ("$count", row.Count), ("$completed", TimeCodec.ToMicros(row.CompletedAt)),
            ("$version", row.ScoreVersion), ("$trigger", row.TriggerEventId), ("$now", nowMicros), ("$seq", seq),
            ("$started", row.StartedAt is { } at ? TimeCodec.ToMicros(at) : null));
        upsert.ExecuteNonQuery();
    }

    private static long LogChange(SqliteConnection connection, SqliteTransaction tx, string org, string game, string playerKey, string pointId, string? status, long now)
    {
        using var log = Command(connection, tx, """
            INSERT INTO progress_changes (org_id, game, player_key, point_id, status, changed_at)
            VALUES ($org, $game, $pk, $point, $status, $now) RETURNING seq;
            """, ("$org", org), ("$game", game), ("$pk", playerKey), ("$point", pointId), ("$status", status), ("$now", now));
        return (long)log.ExecuteScalar()!;
    }

    public async Task<IReadOnlyList<ProgressRow>> GetPlayerProgressAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT org_id, game, player_key, point_id, status, score, duration_seconds, count, completed_at, score_version, trigger_event_id, updated_at, started_at
            FROM progress_points WHERE player_key = $pk AND ($game IS NULL OR game = $game) ORDER BY game, point_id;
            """;
        command.Parameters.AddWithValue("$pk", playerKey);
        command.Parameters.AddWithValue("$game", (object?)game ?? DBNull.Value);
        var rows = new List<ProgressRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadProgressRow(reader));
        }
        return rows;
    }

    public async Task<IReadOnlyList<ProgressRow>> GetGroupProgressAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        // CROSS JOIN fixes the join order (SQLite has no statistics to choose it): members first, then each member's rows
        // by primary key. Left to itself the planner scanned every row of the org's game and filtered on membership,
        // so a class's matrix cost grew with the size of its school.
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.org_id, p.game, p.player_key, p.point_id, p.status, p.score, p.duration_seconds, p.count, p.completed_at,
                   p.score_version, p.trigger_event_id, p.updated_at, p.started_at
            FROM group_members m
            CROSS JOIN progress_points p ON p.player_key = m.player_key AND p.game = $game AND p.org_id = $org
            WHERE m.org_id = $org AND m.group_id = $g;
            """;
        command.Parameters.AddWithValue("$g", group.Id);
        command.Parameters.AddWithValue("$game", group.Game);
        command.Parameters.AddWithValue("$org", group.OrgId);
        var rows = new List<ProgressRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadProgressRow(reader));
        }
        return rows;
    }

    private static ProgressRow ReadProgressRow(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7), TimeCodec.FromMicros(reader.GetInt64(8)), reader.GetString(9),
        reader.GetString(10), TimeCodec.FromMicros(reader.GetInt64(11)), reader.IsDBNull(12) ? null : TimeCodec.FromMicros(reader.GetInt64(12)));

    public async Task<long> GetLatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM progress_changes;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<CellChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.seq, c.player_key, c.point_id, p.status, p.score, p.completed_at, p.started_at
            FROM progress_changes c
            JOIN group_members m ON m.org_id = c.org_id AND m.group_id = $g AND m.player_key = c.player_key
            LEFT JOIN progress_points p ON p.org_id = c.org_id AND p.game = c.game AND p.player_key = c.player_key AND p.point_id = c.point_id
            WHERE c.org_id = $org AND c.game = $game AND c.seq > $after
            ORDER BY c.seq LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$g", group.Id);
        command.Parameters.AddWithValue("$org", group.OrgId);
        command.Parameters.AddWithValue("$game", group.Game);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        var changes = new List<CellChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new CellChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.IsDBNull(5) || NullableString(reader, 3) == ProgressStatus.Started ? null : TimeCodec.FromMicros(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : TimeCodec.FromMicros(reader.GetInt64(6))));
        }
        return changes;
    }

    public async IAsyncEnumerable<ProgressRow> ExportProgressAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT org_id, game, player_key, point_id, status, score, duration_seconds, count, completed_at, score_version, trigger_event_id, updated_at, started_at
            FROM progress_points
            WHERE ($org IS NULL OR org_id = $org) AND ($game IS NULL OR game = $game)
              AND ($since IS NULL OR completed_at >= $since) AND ($until IS NULL OR completed_at < $until)
              AND ($keys IS NULL OR player_key IN (SELECT value FROM json_each($keys)))
            ORDER BY game, player_key, point_id;
            """;
        AddExportFilter(command, filter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadProgressRow(reader);
        }
    }

    public Task<int> EnqueueStaleRecomputesAsync(string game, string pointId, string currentVersion, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, """
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                SELECT $projection, org_id, game, player_key, point_id, trigger_event_id, $now, $now FROM progress_points
                WHERE game = $game AND point_id = $point AND score_version <> $version
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = version + 1;
                """, ("$now", TimeCodec.ToMicros(now)), ("$game", game), ("$point", pointId), ("$version", currentVersion), ("$projection", ProgressProjection.Name));
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
