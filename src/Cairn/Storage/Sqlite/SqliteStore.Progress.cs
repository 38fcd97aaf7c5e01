using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    /// <summary>Upserts or removes one cell, and logs the change only when something a reader sees changed.</summary>
    private static void ApplyProgress(
        SqliteConnection connection, SqliteTransaction tx, string org, string game, string playerKey, string pointId, ProgressRow? row, DateTimeOffset now)
    {
        using var current = Command(connection, tx, """
            SELECT status, score, duration_seconds, count, completed_at, score_version, trigger_event_id
            FROM progress_points WHERE org_id = $org AND game = $game AND player_key = $pk AND point_id = $point;
            """, ("$org", org), ("$game", game), ("$pk", playerKey), ("$point", pointId));
        string? existing = null;
        using (var reader = current.ExecuteReader())
        {
            if (reader.Read())
            {
                existing = string.Join('|', Enumerable.Range(0, 7).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
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
            TimeCodec.ToMicros(row.CompletedAt).ToString(System.Globalization.CultureInfo.InvariantCulture), row.ScoreVersion, row.TriggerEventId);
        if (next == existing)
        {
            return;
        }
        var seq = LogChange(connection, tx, org, game, playerKey, pointId, row.Status, nowMicros);
        using var upsert = Command(connection, tx, """
            INSERT INTO progress_points (org_id, game, player_key, point_id, status, score, duration_seconds, count,
                                         completed_at, score_version, trigger_event_id, updated_at, change_seq)
            VALUES ($org, $game, $pk, $point, $status, $score, $duration, $count, $completed, $version, $trigger, $now, $seq)
            ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET
                status = excluded.status, score = excluded.score, duration_seconds = excluded.duration_seconds,
                count = excluded.count, completed_at = excluded.completed_at, score_version = excluded.score_version,
                trigger_event_id = excluded.trigger_event_id, updated_at = excluded.updated_at, change_seq = excluded.change_seq;
            """, ("$org", org), ("$game", game), ("$pk", playerKey), ("$point", pointId), ("$status", row.Status), ("$score", row.Score),
            ("$duration", row.DurationSeconds), ("$count", row.Count), ("$completed", TimeCodec.ToMicros(row.CompletedAt)),
            ("$version", row.ScoreVersion), ("$trigger", row.TriggerEventId), ("$now", nowMicros), ("$seq", seq));
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

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(
        string orgId, string game, string playerKey, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var names = eventTypes.Select((_, i) => "$t" + i).ToList();
        command.CommandText = $"""
            SELECT event_id, event_type, ts, data, seq FROM events
            WHERE player_key = $pk AND event_type IN ({string.Join(", ", names)}) AND org_id = $org AND game = $game
            ORDER BY ts, seq;
            """;
        command.Parameters.AddWithValue("$pk", playerKey);
        command.Parameters.AddWithValue("$org", orgId);
        command.Parameters.AddWithValue("$game", game);
        var index = 0;
        foreach (var type in eventTypes)
        {
            command.Parameters.AddWithValue(names[index++], type);
        }
        var history = new List<HistoryEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(new HistoryEvent(reader.GetString(0), reader.GetString(1), TimeCodec.FromMicros(reader.GetInt64(2)), ParseJson(reader.GetString(3)), reader.GetInt64(4)));
        }
        return history;
    }

    public async Task<IReadOnlyList<ProgressRow>> GetPlayerProgressAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT org_id, game, player_key, point_id, status, score, duration_seconds, count, completed_at, score_version, trigger_event_id, updated_at
            FROM progress_points WHERE player_key = $pk AND ($game IS NULL OR game = $game) ORDER BY game, point_id;
            """;
        command.Parameters.AddWithValue("$pk", playerKey);
        command.Parameters.AddWithValue("$game", (object?)game ?? DBNull.Value);
        var rows = new List<ProgressRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ProgressRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7), TimeCodec.FromMicros(reader.GetInt64(8)), reader.GetString(9),
                reader.GetString(10), TimeCodec.FromMicros(reader.GetInt64(11))));
        }
        return rows;
    }
}
