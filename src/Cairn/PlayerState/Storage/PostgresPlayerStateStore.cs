using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.PlayerState.Storage;

/// <summary>The player-state projection's tables on PostgreSQL: one state document per (org, game, player) and the achievements.</summary>
internal sealed class PostgresPlayerStateStore(PostgresDatabase db) : IPlayerStateStore, IProjectionStore
{
    public string Projection => PlayerStateProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE player_state (org_id text NOT NULL, game text NOT NULL, player_key text NOT NULL, state text NOT NULL,
                                       updated_at timestamptz NOT NULL, PRIMARY KEY (org_id, game, player_key));
            CREATE INDEX player_state_by_player ON player_state (player_key, game);
            CREATE TABLE player_achievements (org_id text NOT NULL, game text NOT NULL, player_key text NOT NULL, achievement_id text NOT NULL,
                                              earned_at timestamptz NOT NULL, event_id text NOT NULL, PRIMARY KEY (org_id, game, player_key, achievement_id));
            CREATE INDEX player_achievements_by_player ON player_achievements (player_key, game);
            """),
        // The version of the game's state and achievement rules a row was computed with ('': before versions): rows of
        // another version are recomputed at start-up and after a catalog reload (PlayerStateStaleRows).
        (2, "ALTER TABLE player_state ADD COLUMN rule_version text NOT NULL DEFAULT '';"),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => PlayerStateProjection.PlayerTables;

    public async Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (NpgsqlTransaction)transaction;
        await using (var delete = new NpgsqlCommand("DELETE FROM player_achievements WHERE org_id = $1 AND game = $2 AND player_key = $3;", tx.Connection, tx))
        {
            AddKey(delete, job);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        if (result is not PlayerStateResult state)
        {
            await using var remove = new NpgsqlCommand("DELETE FROM player_state WHERE org_id = $1 AND game = $2 AND player_key = $3;", tx.Connection, tx);
            AddKey(remove, job);
            await remove.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO player_state (org_id, game, player_key, state, updated_at, rule_version) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (org_id, game, player_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, rule_version = excluded.rule_version;
            """, tx.Connection, tx))
        {
            AddKey(upsert, job);
            upsert.Parameters.AddWithValue(PlayerStateJson.Write(state.State));
            upsert.Parameters.AddWithValue(now.UtcDateTime);
            upsert.Parameters.AddWithValue(state.RuleVersion);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var a in state.Achievements)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO player_achievements (org_id, game, player_key, achievement_id, earned_at, event_id) VALUES ($1, $2, $3, $4, $5, $6);
                """, tx.Connection, tx);
            AddKey(insert, job);
            insert.Parameters.AddWithValue(a.AchievementId);
            insert.Parameters.AddWithValue(a.At.UtcDateTime);
            insert.Parameters.AddWithValue(a.EventId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void AddKey(NpgsqlCommand command, JobLease job)
    {
        command.Parameters.AddWithValue(job.OrgId);
        command.Parameters.AddWithValue(job.Game);
        command.Parameters.AddWithValue(job.PlayerKey);
    }

    public async Task<IReadOnlyList<PlayerStateRow>> GetStatesAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT org_id, game, state, updated_at FROM player_state WHERE player_key = $1 AND ($2::text IS NULL OR game = $2) ORDER BY game COLLATE "C", org_id COLLATE "C";
            """, connection);
        command.Parameters.AddWithValue(playerKey);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)game ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var rows = new List<PlayerStateRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PlayerStateRow(reader.GetString(0), reader.GetString(1), PlayerStateJson.Read(reader.GetString(2)), Utc(reader.GetDateTime(3))));
        }
        return rows;
    }

    public async Task<IReadOnlyList<AchievementRow>> GetAchievementsAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT org_id, game, achievement_id, earned_at, event_id FROM player_achievements
            WHERE player_key = $1 AND ($2::text IS NULL OR game = $2) ORDER BY earned_at, game COLLATE "C", achievement_id COLLATE "C";
            """, connection);
        command.Parameters.AddWithValue(playerKey);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)game ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var rows = new List<AchievementRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AchievementRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), Utc(reader.GetDateTime(3)), reader.GetString(4)));
        }
        return rows;
    }

    public async Task<IReadOnlyList<PlayedRow>> GetPlayedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT org_id, game, player_key, state FROM player_state WHERE updated_at >= $1;", connection);
        command.Parameters.AddWithValue(since.UtcDateTime);
        var rows = new List<PlayedRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (PlayerStateJson.Read(reader.GetString(3)).LastPlayedAt is var at && at >= since)
            {
                rows.Add(new PlayedRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), at));
            }
        }
        return rows;
    }

    public Task<int> EnqueueStaleAsync(string game, string ruleVersion, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, """
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                SELECT $4, org_id, game, player_key, game, NULL, $1, $1 FROM player_state WHERE game = $2 AND rule_version <> $3
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = jobs.version + 1;
                """, now, game, ruleVersion, PlayerStateProjection.Name);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
