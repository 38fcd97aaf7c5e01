using System.Data.Common;
using System.Text.Json;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.PlaySessions.Storage;

/// <summary>The sessions projection's table on SQLite: one row per play session of a (org, game, player).</summary>
internal sealed class SqlitePlaySessionStore(SqliteDatabase db) : IPlaySessionStore, IProjectionStore
{
    public string Projection => SessionsProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE play_sessions (org_id TEXT NOT NULL, game TEXT NOT NULL, player_key TEXT NOT NULL, started_at INTEGER NOT NULL,
                                        ended_at INTEGER NOT NULL, duration_seconds REAL NOT NULL, ended_by TEXT NOT NULL, event_count INTEGER NOT NULL,
                                        categories TEXT NOT NULL, platform TEXT, build TEXT, country TEXT,
                                        PRIMARY KEY (org_id, game, player_key, started_at));
            CREATE INDEX play_sessions_by_player ON play_sessions (player_key, game);
            CREATE INDEX play_sessions_by_start ON play_sessions (org_id, game, started_at);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => SessionsProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (SqliteTransaction)transaction;
        var connection = tx.Connection!;
        (string, object?)[] key = [("$org", job.OrgId), ("$game", job.Game), ("$pk", job.PlayerKey)];
        using (var delete = Command(connection, tx, "DELETE FROM play_sessions WHERE org_id = $org AND game = $game AND player_key = $pk;", key))
        {
            delete.ExecuteNonQuery();
        }
        foreach (var s in result as IReadOnlyList<PlaySession> ?? [])
        {
            using var insert = Command(connection, tx, """
                INSERT INTO play_sessions (org_id, game, player_key, started_at, ended_at, duration_seconds, ended_by, event_count, categories, platform, build, country)
                VALUES ($org, $game, $pk, $start, $end, $duration, $by, $events, $categories, $platform, $build, $country);
                """, [.. key, ("$start", TimeCodec.ToMicros(s.Start)), ("$end", TimeCodec.ToMicros(s.End)), ("$duration", s.DurationSeconds), ("$by", s.EndedBy),
                ("$events", s.Events), ("$categories", SessionCategories.Write(s.Categories)), ("$platform", s.Platform), ("$build", s.Build), ("$country", s.Country)]);
            insert.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<SessionEvent>> GetEventsAsync(string orgId, string game, string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT event_type, ts, device, context FROM events WHERE player_key = $pk AND org_id = $org AND game = $game ORDER BY ts, seq;
            """, ("$pk", playerKey), ("$org", orgId), ("$game", game));
        var events = new List<SessionEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var device = NullableString(reader, 2);
            var context = NullableString(reader, 3);
            events.Add(SessionFields.Event(reader.GetString(0), TimeCodec.FromMicros(reader.GetInt64(1)), device, context));
        }
        return events;
    }

    public async Task<IReadOnlyList<PlaySessionRow>> GetPlayerSessionsAsync(string playerKey, string game, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT org_id, game, started_at, ended_at, ended_by, event_count, categories, platform, build, country FROM play_sessions
            WHERE player_key = $pk AND game = $game ORDER BY started_at, org_id;
            """, ("$pk", playerKey), ("$game", game));
        var rows = new List<PlaySessionRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PlaySessionRow(reader.GetString(0), reader.GetString(1), playerKey, new PlaySession(
                TimeCodec.FromMicros(reader.GetInt64(2)), TimeCodec.FromMicros(reader.GetInt64(3)), reader.GetString(4), reader.GetInt32(5),
                SessionCategories.Read(reader.GetString(6)), NullableString(reader, 7), NullableString(reader, 8), NullableString(reader, 9))));
        }
        return rows;
    }

    public async Task<IReadOnlyList<SummaryRow>> GetSummaryRowsAsync(
        string orgId, string game, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? players, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT player_key, duration_seconds, platform FROM play_sessions
            WHERE org_id = $org AND game = $game AND started_at >= $from AND started_at < $to
              AND ($players IS NULL OR player_key IN (SELECT value FROM json_each($players)));
            """, ("$org", orgId), ("$game", game), ("$from", TimeCodec.ToMicros(from)), ("$to", TimeCodec.ToMicros(to)),
            ("$players", players is null ? null : JsonSerializer.Serialize(players)));
        var rows = new List<SummaryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SummaryRow(reader.GetString(0), reader.GetDouble(1), NullableString(reader, 2)));
        }
        return rows;
    }
}
