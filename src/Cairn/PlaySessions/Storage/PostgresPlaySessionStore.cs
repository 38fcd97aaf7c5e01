using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.PlaySessions.Storage;

/// <summary>The sessions projection's table on PostgreSQL: one row per play session of a (org, game, player).</summary>
internal sealed class PostgresPlaySessionStore(PostgresDatabase db) : IPlaySessionStore, IProjectionStore
{
    public string Projection => SessionsProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE play_sessions (org_id text NOT NULL, game text NOT NULL, player_key text NOT NULL, started_at timestamptz NOT NULL,
                                        ended_at timestamptz NOT NULL, duration_seconds double precision NOT NULL, ended_by text NOT NULL,
                                        event_count integer NOT NULL, categories text NOT NULL, platform text, build text, country text,
                                        PRIMARY KEY (org_id, game, player_key, started_at));
            CREATE INDEX play_sessions_by_player ON play_sessions (player_key, game);
            CREATE INDEX play_sessions_by_start ON play_sessions (org_id, game, started_at);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => SessionsProjection.PlayerTables;

    public async Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (NpgsqlTransaction)transaction;
        await using (var delete = Command(tx.Connection!, tx, "DELETE FROM play_sessions WHERE org_id = $1 AND game = $2 AND player_key = $3;",
            job.OrgId, job.Game, job.PlayerKey))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var s in result as IReadOnlyList<PlaySession> ?? [])
        {
            await using var insert = Command(tx.Connection!, tx, """
                INSERT INTO play_sessions (org_id, game, player_key, started_at, ended_at, duration_seconds, ended_by, event_count, categories, platform, build, country)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);
                """, job.OrgId, job.Game, job.PlayerKey, s.Start.UtcDateTime, s.End.UtcDateTime, s.DurationSeconds, s.EndedBy, s.Events,
                SessionCategories.Write(s.Categories), s.Platform, s.Build, s.Country);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<SessionEvent>> GetEventsAsync(string orgId, string game, string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT event_type, ts, device->>'platform', coalesce(device->>'build', device->>'appVersion', context->>'build'), context->>'country'
            FROM events WHERE player_key = $1 AND org_id = $2 AND game = $3 ORDER BY ts, seq;
            """, playerKey, orgId, game);
        var events = new List<SessionEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new SessionEvent(reader.GetString(0), Utc(reader.GetDateTime(1)), Text(reader, 2), Text(reader, 3), Text(reader, 4)));
        }
        return events;
    }

    public async Task<IReadOnlyList<PlaySessionRow>> GetPlayerSessionsAsync(string playerKey, string game, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT org_id, game, started_at, ended_at, ended_by, event_count, categories, platform, build, country FROM play_sessions
            WHERE player_key = $1 AND game = $2 ORDER BY started_at, org_id;
            """, playerKey, game);
        var rows = new List<PlaySessionRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PlaySessionRow(reader.GetString(0), reader.GetString(1), playerKey, new PlaySession(
                Utc(reader.GetDateTime(2)), Utc(reader.GetDateTime(3)), reader.GetString(4), reader.GetInt32(5),
                SessionCategories.Read(reader.GetString(6)), Text(reader, 7), Text(reader, 8), Text(reader, 9))));
        }
        return rows;
    }

    public async Task<IReadOnlyList<SummaryRow>> GetSummaryRowsAsync(
        string orgId, string game, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? players, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT player_key, duration_seconds, platform FROM play_sessions
            WHERE org_id = $1 AND game = $2 AND started_at >= $3 AND started_at < $4 AND ($5::text[] IS NULL OR player_key = ANY($5));
            """, orgId, game, from, to);
        var list = TextArray(players ?? []);
        if (players is null)
        {
            list.Value = DBNull.Value;
        }
        command.Parameters.Add(list);
        var rows = new List<SummaryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SummaryRow(reader.GetString(0), reader.GetDouble(1), Text(reader, 2)));
        }
        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
