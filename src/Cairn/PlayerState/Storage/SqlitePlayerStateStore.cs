using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.PlayerState.Storage;

/// <summary>The player-state projection's tables on SQLite: one state document per (org, game, player) and the achievements.</summary>
internal sealed class SqlitePlayerStateStore(SqliteDatabase db) : IPlayerStateStore, IProjectionStore
{
    public string Projection => PlayerStateProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE player_state (org_id TEXT NOT NULL, game TEXT NOT NULL, player_key TEXT NOT NULL, state TEXT NOT NULL,
                                       updated_at INTEGER NOT NULL, PRIMARY KEY (org_id, game, player_key));
            CREATE INDEX player_state_by_player ON player_state (player_key, game);
            CREATE TABLE player_achievements (org_id TEXT NOT NULL, game TEXT NOT NULL, player_key TEXT NOT NULL, achievement_id TEXT NOT NULL,
                                              earned_at INTEGER NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (org_id, game, player_key, achievement_id));
            CREATE INDEX player_achievements_by_player ON player_achievements (player_key, game);
            """),
        // The version of the game's state and achievement rules a row was computed with ('': before versions): rows of
        // another version are recomputed at start-up and after a catalog reload (PlayerStateStaleRows).
        (2, "ALTER TABLE player_state ADD COLUMN rule_version TEXT NOT NULL DEFAULT '';"),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => PlayerStateProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (SqliteTransaction)transaction;
        var connection = tx.Connection!;
        (string, object?)[] key = [("$org", job.OrgId), ("$game", job.Game), ("$pk", job.PlayerKey)];
        using (var delete = Command(connection, tx, "DELETE FROM player_achievements WHERE org_id = $org AND game = $game AND player_key = $pk;", key))
        {
            delete.ExecuteNonQuery();
        }
        if (result is not PlayerStateResult state)
        {
            using var remove = Command(connection, tx, "DELETE FROM player_state WHERE org_id = $org AND game = $game AND player_key = $pk;", key);
            remove.ExecuteNonQuery();
            return Task.CompletedTask;
        }
        using (var upsert = Command(connection, tx, """
            INSERT INTO player_state (org_id, game, player_key, state, updated_at, rule_version) VALUES ($org, $game, $pk, $state, $now, $rules)
            ON CONFLICT (org_id, game, player_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, rule_version = excluded.rule_version;
            """, [.. key, ("$state", PlayerStateJson.Write(state.State)), ("$now", TimeCodec.ToMicros(now)), ("$rules", state.RuleVersion)]))
        {
            upsert.ExecuteNonQuery();
        }
        foreach (var a in state.Achievements)
        {
            using var insert = Command(connection, tx, """
                INSERT INTO player_achievements (org_id, game, player_key, achievement_id, earned_at, event_id) VALUES ($org, $game, $pk, $id, $at, $event);
                """, [.. key, ("$id", a.AchievementId), ("$at", TimeCodec.ToMicros(a.At)), ("$event", a.EventId)]);
            insert.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<PlayerStateRow>> GetStatesAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT org_id, game, state, updated_at FROM player_state WHERE player_key = $pk AND ($game IS NULL OR game = $game) ORDER BY game, org_id;
            """, ("$pk", playerKey), ("$game", game));
        var rows = new List<PlayerStateRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PlayerStateRow(reader.GetString(0), reader.GetString(1), PlayerStateJson.Read(reader.GetString(2)), TimeCodec.FromMicros(reader.GetInt64(3))));
        }
        return rows;
    }

    public async Task<IReadOnlyList<AchievementRow>> GetAchievementsAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT org_id, game, achievement_id, earned_at, event_id FROM player_achievements
            WHERE player_key = $pk AND ($game IS NULL OR game = $game) ORDER BY earned_at, game, achievement_id;
            """, ("$pk", playerKey), ("$game", game));
        var rows = new List<AchievementRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AchievementRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), TimeCodec.FromMicros(reader.GetInt64(3)), reader.GetString(4)));
        }
        return rows;
    }

    public async Task<IReadOnlyList<PlayedRow>> GetPlayedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT org_id, game, player_key, state FROM player_state WHERE updated_at >= $since;",
            ("$since", TimeCodec.ToMicros(since)));
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
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, """
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                SELECT $projection, org_id, game, player_key, game, NULL, $now, $now FROM player_state WHERE game = $game AND rule_version <> $version
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = version + 1;
                """, ("$now", TimeCodec.ToMicros(now)), ("$game", game), ("$version", ruleVersion), ("$projection", PlayerStateProjection.Name));
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
