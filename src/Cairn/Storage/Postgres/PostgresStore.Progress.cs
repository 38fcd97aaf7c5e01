using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Storage.Postgres;

internal sealed partial class PostgresStore
{
    /// <summary>Upserts or removes one cell, and logs (and announces) the change only when a reader would see one.</summary>
    private static async Task ApplyProgressAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string org, string game, string playerKey, string pointId, ProgressRow? row,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? existing = null;
        await using (var current = Command(connection, tx, """
            SELECT status, score, duration_seconds, count, completed_at, score_version, trigger_event_id
            FROM progress_points WHERE org_id = $1 AND game = $2 AND player_key = $3 AND point_id = $4;
            """, org, game, playerKey, pointId))
        await using (var reader = await current.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                existing = Describe(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetDouble(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3), Utc(reader.GetDateTime(4)), reader.GetString(5), reader.GetString(6));
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
        if (Describe(row.Status, row.Score, row.DurationSeconds, row.Count, row.CompletedAt, row.ScoreVersion, row.TriggerEventId) == existing)
        {
            return;
        }
        var seq = await LogChangeAsync(connection, tx, org, game, playerKey, pointId, row.Status, now, cancellationToken);
        await using var upsert = Command(connection, tx, """
            INSERT INTO progress_points (org_id, game, player_key, point_id, status, score, duration_seconds, count,
                                         completed_at, score_version, trigger_event_id, updated_at, change_seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET
                status = excluded.status, score = excluded.score, duration_seconds = excluded.duration_seconds,
                count = excluded.count, completed_at = excluded.completed_at, score_version = excluded.score_version,
                trigger_event_id = excluded.trigger_event_id, updated_at = excluded.updated_at, change_seq = excluded.change_seq;
            """, org, game, playerKey, pointId, row.Status, row.Score, row.DurationSeconds, row.Count, row.CompletedAt, row.ScoreVersion,
            row.TriggerEventId, now, seq);
        upsert.Parameters[5].NpgsqlDbType = NpgsqlDbType.Double;
        upsert.Parameters[6].NpgsqlDbType = NpgsqlDbType.Double;
        upsert.Parameters[7].NpgsqlDbType = NpgsqlDbType.Integer;
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Describe(string status, double? score, double? duration, int? count, DateTimeOffset completedAt, string version, string trigger) =>
        string.Join('|', status, Convert.ToString(score, CultureInfo.InvariantCulture), Convert.ToString(duration, CultureInfo.InvariantCulture),
            Convert.ToString(count, CultureInfo.InvariantCulture), TimeCodec.ToMicros(completedAt).ToString(CultureInfo.InvariantCulture), version, trigger);

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

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(
        string orgId, string game, string playerKey, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT event_id, event_type, ts, data::text, seq FROM events
            WHERE player_key = $1 AND event_type = ANY($2) AND org_id = $3 AND game = $4
            ORDER BY ts, seq;
            """, connection);
        command.Parameters.AddWithValue(playerKey);
        command.Parameters.Add(new NpgsqlParameter { Value = eventTypes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(game);
        var history = new List<HistoryEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(new HistoryEvent(reader.GetString(0), reader.GetString(1), Utc(reader.GetDateTime(2)), ParseJson(reader.GetString(3)), reader.GetInt64(4)));
        }
        return history;
    }

    public async Task<IReadOnlyList<ProgressRow>> GetPlayerProgressAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
        p.score_version, p.trigger_event_id, p.updated_at
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
        Utc(reader.GetDateTime(11)));
}
