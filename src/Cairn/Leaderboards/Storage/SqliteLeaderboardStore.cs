using System.Data.Common;
using System.Text.Json;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Leaderboards.Storage;

/// <summary>The leaderboard projection's tables on SQLite: a score per (org, game, board, period, player) and the opt-outs.</summary>
internal sealed class SqliteLeaderboardStore(SqliteDatabase db) : ILeaderboardStore, IProjectionStore
{
    public string Projection => LeaderboardProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE leaderboard_scores (org_id TEXT NOT NULL, game TEXT NOT NULL, board_id TEXT NOT NULL, period_start INTEGER NOT NULL,
                                             player_key TEXT NOT NULL, score REAL NOT NULL, achieved_at INTEGER NOT NULL, event_id TEXT NOT NULL,
                                             updated_at INTEGER NOT NULL, PRIMARY KEY (org_id, game, board_id, period_start, player_key));
            CREATE INDEX leaderboard_scores_by_rank ON leaderboard_scores (org_id, game, board_id, period_start, score, achieved_at, player_key);
            CREATE INDEX leaderboard_scores_by_player ON leaderboard_scores (player_key);
            CREATE TABLE leaderboard_optouts (org_id TEXT NOT NULL, player_key TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (org_id, player_key));
            CREATE INDEX leaderboard_optouts_by_player ON leaderboard_optouts (player_key);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => LeaderboardProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (SqliteTransaction)transaction;
        var connection = tx.Connection!;
        (string, object?)[] key = [("$org", job.OrgId), ("$game", job.Game), ("$board", job.Key), ("$pk", job.PlayerKey)];
        using (var delete = Command(connection, tx, "DELETE FROM leaderboard_scores WHERE org_id = $org AND game = $game AND board_id = $board AND player_key = $pk;", key))
        {
            delete.ExecuteNonQuery();
        }
        foreach (var row in result as IReadOnlyList<LeaderboardScoreRow> ?? [])
        {
            using var insert = Command(connection, tx, """
                INSERT INTO leaderboard_scores (org_id, game, board_id, period_start, player_key, score, achieved_at, event_id, updated_at)
                VALUES ($org, $game, $board, $period, $pk, $score, $at, $event, $now);
                """, [.. key, ("$period", TimeCodec.ToMicros(row.PeriodStart)), ("$score", row.Score), ("$at", TimeCodec.ToMicros(row.At)),
                ("$event", row.EventId), ("$now", TimeCodec.ToMicros(now))]);
            insert.ExecuteNonQuery();
        }
        return Task.CompletedTask;
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
        await using var connection = await db.OpenAsync(cancellationToken);
        var parameters = new List<(string, object?)>
        {
            ("@org", query.OrgId), ("@game", query.Game), ("@board", query.BoardId), ("@period", TimeCodec.ToMicros(query.PeriodStart)), ("@limit", limit),
        };
        if (position is not null)
        {
            parameters.AddRange([("@score", position.Score), ("@at", TimeCodec.ToMicros(position.At)), ("@pk", position.PlayerKey)]);
        }
        if (player is not null)
        {
            parameters.Add(("@player", player));
        }
        if (query.Players is not null)
        {
            parameters.Add(("@players", JsonSerializer.Serialize(query.Players)));
        }
        using var command = Command(connection, null, LeaderboardSql.Select(query, read, position is not null, postgres: false), [.. parameters]);
        var rows = new List<LeaderboardEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LeaderboardEntry(reader.GetInt64(3), reader.GetString(0), reader.GetDouble(1), TimeCodec.FromMicros(reader.GetInt64(2))));
        }
        return rows;
    }

    public Task SetOptOutAsync(string orgId, string playerKey, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = optedOut
                ? Command(connection, tx, """
                    INSERT INTO leaderboard_optouts (org_id, player_key, updated_at) VALUES ($org, $pk, $now)
                    ON CONFLICT (org_id, player_key) DO NOTHING;
                    """, ("$org", orgId), ("$pk", playerKey), ("$now", TimeCodec.ToMicros(now)))
                : Command(connection, tx, "DELETE FROM leaderboard_optouts WHERE org_id = $org AND player_key = $pk;", ("$org", orgId), ("$pk", playerKey));
            command.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    public async Task<bool> IsOptedOutAsync(string orgId, string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT 1 FROM leaderboard_optouts WHERE org_id = $org AND player_key = $pk;", ("$org", orgId), ("$pk", playerKey));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
