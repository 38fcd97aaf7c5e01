using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;

namespace Cairn.Leaderboards.Storage;

/// <summary>The leaderboard projection's tables on PostgreSQL: a score per (org, game, board, period, player) and the opt-outs.</summary>
internal sealed class PostgresLeaderboardStore(PostgresDatabase db) : ILeaderboardStore, IProjectionStore
{
    public string Projection => LeaderboardProjection.Name;

    // Times are microseconds since the epoch (as on SQLite): the keyset compares them exactly.
    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE leaderboard_scores (org_id text NOT NULL, game text NOT NULL, board_id text NOT NULL, period_start bigint NOT NULL,
                                             player_key text NOT NULL, score double precision NOT NULL, achieved_at bigint NOT NULL, event_id text NOT NULL,
                                             updated_at timestamptz NOT NULL, PRIMARY KEY (org_id, game, board_id, period_start, player_key));
            CREATE INDEX leaderboard_scores_by_rank ON leaderboard_scores (org_id, game, board_id, period_start, score, achieved_at, player_key COLLATE "C");
            CREATE INDEX leaderboard_scores_by_player ON leaderboard_scores (player_key);
            CREATE TABLE leaderboard_optouts (org_id text NOT NULL, player_key text NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (org_id, player_key));
            CREATE INDEX leaderboard_optouts_by_player ON leaderboard_optouts (player_key);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => LeaderboardProjection.PlayerTables;

    public async Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (NpgsqlTransaction)transaction;
        await using (var delete = new NpgsqlCommand("DELETE FROM leaderboard_scores WHERE org_id = $1 AND game = $2 AND board_id = $3 AND player_key = $4;", tx.Connection, tx))
        {
            AddKey(delete, job);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var row in result as IReadOnlyList<LeaderboardScoreRow> ?? [])
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO leaderboard_scores (org_id, game, board_id, player_key, period_start, score, achieved_at, event_id, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);
                """, tx.Connection, tx);
            AddKey(insert, job);
            insert.Parameters.AddWithValue(TimeCodec.ToMicros(row.PeriodStart));
            insert.Parameters.AddWithValue(row.Score);
            insert.Parameters.AddWithValue(TimeCodec.ToMicros(row.At));
            insert.Parameters.AddWithValue(row.EventId);
            insert.Parameters.AddWithValue(now.UtcDateTime);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void AddKey(NpgsqlCommand command, JobLease job)
    {
        command.Parameters.AddWithValue(job.OrgId);
        command.Parameters.AddWithValue(job.Game);
        command.Parameters.AddWithValue(job.Key);
        command.Parameters.AddWithValue(job.PlayerKey);
    }

    public Task<IReadOnlyList<LeaderboardEntry>> GetPageAsync(LeaderboardQuery query, LeaderboardPosition? after, int limit, CancellationToken cancellationToken) =>
        ReadAsync(query, LeaderboardSql.Read.After, after, null, limit, cancellationToken);

    public async Task<IReadOnlyList<LeaderboardEntry>> GetAboveAsync(LeaderboardQuery query, LeaderboardPosition before, int limit, CancellationToken cancellationToken) =>
        [.. (await ReadAsync(query, LeaderboardSql.Read.Before, before, null, limit, cancellationToken)).Reverse()];

    public async Task<LeaderboardEntry?> GetEntryAsync(LeaderboardQuery query, string playerKey, CancellationToken cancellationToken) =>
        (await ReadAsync(query, LeaderboardSql.Read.Player, null, playerKey, 1, cancellationToken)).FirstOrDefault();

    private async Task<IReadOnlyList<LeaderboardEntry>> ReadAsync(
        LeaderboardQuery query, LeaderboardSql.Read read, LeaderboardPosition? position, string? player, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(LeaderboardSql.Select(query, read, position is not null, postgres: true), connection);
        command.Parameters.AddWithValue("org", query.OrgId);
        command.Parameters.AddWithValue("game", query.Game);
        command.Parameters.AddWithValue("board", query.BoardId);
        command.Parameters.AddWithValue("period", TimeCodec.ToMicros(query.PeriodStart));
        command.Parameters.AddWithValue("limit", limit);
        if (position is not null)
        {
            command.Parameters.AddWithValue("score", position.Score);
            command.Parameters.AddWithValue("at", TimeCodec.ToMicros(position.At));
            command.Parameters.AddWithValue("pk", position.PlayerKey);
        }
        if (player is not null)
        {
            command.Parameters.AddWithValue("player", player);
        }
        if (query.Players is not null)
        {
            command.Parameters.AddWithValue("players", query.Players.ToArray());
        }
        var rows = new List<LeaderboardEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LeaderboardEntry(reader.GetInt64(3), reader.GetString(0), reader.GetDouble(1), TimeCodec.FromMicros(reader.GetInt64(2))));
        }
        return rows;
    }

    public async Task SetOptOutAsync(string orgId, string playerKey, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(optedOut
            ? "INSERT INTO leaderboard_optouts (org_id, player_key, updated_at) VALUES ($1, $2, $3) ON CONFLICT (org_id, player_key) DO NOTHING;"
            : "DELETE FROM leaderboard_optouts WHERE org_id = $1 AND player_key = $2;", connection);
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(playerKey);
        if (optedOut)
        {
            command.Parameters.AddWithValue(now.UtcDateTime);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> IsOptedOutAsync(string orgId, string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM leaderboard_optouts WHERE org_id = $1 AND player_key = $2;", connection);
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(playerKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
