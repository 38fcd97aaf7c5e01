using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Mastery.Storage;

/// <summary>The mastery projection's tables on SQLite: its rows (one per player and standard) and the fitted parameter versions.</summary>
internal sealed class SqliteMasteryStore(SqliteDatabase db) : IMasteryStore, IProjectionStore
{
    private const string Columns = """
        org_id, game, player_key, standard_id, p_mastery, level, observations, correct, scored, mean_score, latest_score,
        first_at, last_at, last_event_id, param_version, updated_at
        """;

    public string Projection => MasteryProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE mastery (
                org_id TEXT NOT NULL, game TEXT NOT NULL, player_key TEXT NOT NULL, standard_id TEXT NOT NULL,
                p_mastery REAL NOT NULL, level TEXT NOT NULL, observations INTEGER NOT NULL, correct INTEGER NOT NULL,
                scored INTEGER NOT NULL, mean_score REAL, latest_score REAL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL,
                last_event_id TEXT NOT NULL, param_version TEXT NOT NULL, updated_at INTEGER NOT NULL,
                PRIMARY KEY (org_id, game, player_key, standard_id));
            CREATE INDEX mastery_by_player ON mastery (player_key);
            CREATE INDEX mastery_by_standard ON mastery (org_id, game, standard_id);
            CREATE TABLE mastery_parameters (
                org_id TEXT NOT NULL, game TEXT NOT NULL, standard_id TEXT NOT NULL, version INTEGER NOT NULL,
                prior REAL NOT NULL, learn REAL NOT NULL, guess REAL NOT NULL, slip REAL NOT NULL, forget REAL NOT NULL,
                log_likelihood REAL NOT NULL, auc REAL, players INTEGER NOT NULL, observations INTEGER NOT NULL, fitted_at INTEGER NOT NULL,
                PRIMARY KEY (org_id, game, standard_id, version));
            """),
        // The change log of the class mastery matrix (?since= and its live stream); AUTOINCREMENT so a seq is never reused.
        (2, """
            CREATE TABLE mastery_changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, org_id TEXT NOT NULL, game TEXT NOT NULL, player_key TEXT NOT NULL,
                standard_id TEXT NOT NULL, changed_at INTEGER NOT NULL);
            CREATE INDEX mastery_changes_by_game ON mastery_changes (org_id, game, seq);
            CREATE INDEX mastery_changes_by_player ON mastery_changes (player_key);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => MasteryProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (SqliteTransaction)transaction;
        // The classes of the player recompute their rollups from this row (coalesced with their other triggers).
        Rollups.RollupTriggers.EnqueueClassesOf(tx.Connection!, tx, job.OrgId, job.Game, job.PlayerKey, TimeCodec.ToMicros(now));
        var row = result as MasteryRow;
        string? existing;
        using (var current = Command(tx.Connection!, tx,
            "SELECT p_mastery, level, observations, last_at FROM mastery WHERE org_id = $org AND game = $game AND player_key = $pk AND standard_id = $s;",
            ("$org", job.OrgId), ("$game", job.Game), ("$pk", job.PlayerKey), ("$s", job.Key)))
        using (var reader = current.ExecuteReader())
        {
            existing = reader.Read() ? Describe(reader.GetDouble(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)) : null;
        }
        // Only a change a matrix reader sees is logged (a recompute to the same answer is not).
        if (existing != (row is null ? null : Describe(row.PMastery, row.Level, row.Observations, TimeCodec.ToMicros(row.LastAt))))
        {
            using var log = Command(tx.Connection!, tx, """
                INSERT INTO mastery_changes (org_id, game, player_key, standard_id, changed_at) VALUES ($org, $game, $pk, $s, $now);
                """, ("$org", job.OrgId), ("$game", job.Game), ("$pk", job.PlayerKey), ("$s", job.Key), ("$now", TimeCodec.ToMicros(now)));
            log.ExecuteNonQuery();
        }
        if (row is null)
        {
            using var delete = Command(tx.Connection!, tx,
                "DELETE FROM mastery WHERE org_id = $org AND game = $game AND player_key = $pk AND standard_id = $s;",
                ("$org", job.OrgId), ("$game", job.Game), ("$pk", job.PlayerKey), ("$s", job.Key));
            delete.ExecuteNonQuery();
            return Task.CompletedTask;
        }
        using var upsert = Command(tx.Connection!, tx, $"""
            INSERT INTO mastery ({Columns})
            VALUES ($org, $game, $pk, $s, $p, $level, $n, $correct, $scored, $mean, $latest, $first, $last, $event, $version, $now)
            ON CONFLICT (org_id, game, player_key, standard_id) DO UPDATE SET
                p_mastery = excluded.p_mastery, level = excluded.level, observations = excluded.observations, correct = excluded.correct,
                scored = excluded.scored, mean_score = excluded.mean_score, latest_score = excluded.latest_score, first_at = excluded.first_at,
                last_at = excluded.last_at, last_event_id = excluded.last_event_id, param_version = excluded.param_version, updated_at = excluded.updated_at;
            """, ("$org", job.OrgId), ("$game", job.Game), ("$pk", job.PlayerKey), ("$s", job.Key), ("$p", row.PMastery), ("$level", row.Level),
            ("$n", row.Observations), ("$correct", row.Correct), ("$scored", row.Scored), ("$mean", row.MeanScore), ("$latest", row.LatestScore),
            ("$first", TimeCodec.ToMicros(row.FirstAt)), ("$last", TimeCodec.ToMicros(row.LastAt)), ("$event", row.LastEventId),
            ("$version", row.ParameterVersion), ("$now", TimeCodec.ToMicros(now)));
        upsert.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    private static string Describe(double pMastery, string level, int observations, long lastAt) =>
        string.Join('|', pMastery.ToString("R", System.Globalization.CultureInfo.InvariantCulture), level,
            observations.ToString(System.Globalization.CultureInfo.InvariantCulture), lastAt.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<IReadOnlyList<MasteryRow>> GetPlayerMasteryAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, $"""
            SELECT {Columns} FROM mastery WHERE player_key = $pk AND ($game IS NULL OR game = $game) ORDER BY game, standard_id;
            """, ("$pk", playerKey), ("$game", game));
        return await ReadRowsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<MasteryRow>> ReadRowsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<MasteryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MasteryRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4),
                reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.IsDBNull(10) ? null : reader.GetDouble(10), TimeCodec.FromMicros(reader.GetInt64(11)), TimeCodec.FromMicros(reader.GetInt64(12)),
                reader.GetString(13), reader.GetString(14), TimeCodec.FromMicros(reader.GetInt64(15))));
        }
        return rows;
    }

    public async Task<IReadOnlyList<MasteryRow>> GetGroupMasteryAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        // Members first, then each member's rows by primary key (CROSS JOIN fixes the order, as for the progress matrix).
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, $"""
            SELECT {string.Join(", ", Columns.Split(',').Select(c => "x." + c.Trim()))}
            FROM group_members m
            CROSS JOIN mastery x ON x.org_id = $org AND x.game = $game AND x.player_key = m.player_key
            WHERE m.org_id = $org AND m.group_id = $g;
            """, ("$org", group.OrgId), ("$game", group.Game), ("$g", group.Id));
        return await ReadRowsAsync(command, cancellationToken);
    }

    public async Task<long> GetLatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT COALESCE(MAX(seq), 0) FROM mastery_changes;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<MasteryChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT c.seq, c.player_key, c.standard_id, x.p_mastery, x.level, x.observations, x.last_at
            FROM mastery_changes c
            JOIN group_members m ON m.org_id = c.org_id AND m.group_id = $g AND m.player_key = c.player_key
            LEFT JOIN mastery x ON x.org_id = c.org_id AND x.game = c.game AND x.player_key = c.player_key AND x.standard_id = c.standard_id
            WHERE c.org_id = $org AND c.game = $game AND c.seq > $after
            ORDER BY c.seq LIMIT $limit;
            """, ("$g", group.Id), ("$org", group.OrgId), ("$game", group.Game), ("$after", afterSeq), ("$limit", limit));
        var changes = new List<MasteryChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var gone = reader.IsDBNull(3);
            changes.Add(new MasteryChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), gone ? null : reader.GetDouble(3),
                gone ? null : reader.GetString(4), gone ? 0 : reader.GetInt32(5), gone ? null : TimeCodec.FromMicros(reader.GetInt64(6))));
        }
        return changes;
    }

    public async Task<FittedParameters?> GetLatestParametersAsync(string orgId, string game, string standardId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT version, prior, learn, guess, slip, forget, log_likelihood, auc, players, observations, fitted_at
            FROM mastery_parameters WHERE org_id = $org AND game = $game AND standard_id = $s ORDER BY version DESC LIMIT 1;
            """, ("$org", orgId), ("$game", game), ("$s", standardId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new FittedParameters(orgId, game, standardId, reader.GetInt32(0),
            new BktParameters(reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)),
            reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.GetInt32(8), reader.GetInt32(9), TimeCodec.FromMicros(reader.GetInt64(10)));
    }

    public Task<IReadOnlyList<FittedParameters>> AddParametersAsync(IReadOnlyList<FittedParameters> fits, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync<IReadOnlyList<FittedParameters>>((connection, tx) =>
        {
            var stored = new List<FittedParameters>(fits.Count);
            foreach (var fit in fits)
            {
                using var insert = Command(connection, tx, """
                    INSERT INTO mastery_parameters (org_id, game, standard_id, version, prior, learn, guess, slip, forget, log_likelihood, auc,
                                                    players, observations, fitted_at)
                    SELECT $org, $game, $s, COALESCE(MAX(version), 0) + 1, $prior, $learn, $guess, $slip, $forget, $ll, $auc, $players, $n, $at
                    FROM mastery_parameters WHERE org_id = $org AND game = $game AND standard_id = $s
                    RETURNING version;
                    """, ("$org", fit.OrgId), ("$game", fit.Game), ("$s", fit.StandardId), ("$prior", fit.Parameters.Prior), ("$learn", fit.Parameters.Learn),
                    ("$guess", fit.Parameters.Guess), ("$slip", fit.Parameters.Slip), ("$forget", fit.Parameters.Forget), ("$ll", fit.LogLikelihood),
                    ("$auc", fit.Auc), ("$players", fit.Players), ("$n", fit.Observations), ("$at", TimeCodec.ToMicros(fit.FittedAt)));
                stored.Add(fit with { Version = Convert.ToInt32(insert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) });
            }
            return stored;
        }, cancellationToken);

    public async Task<IReadOnlyList<(string OrgId, string Game)>> ListOrgGamesAsync(string? orgId, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT DISTINCT org_id, game FROM mastery WHERE ($org IS NULL OR org_id = $org) AND ($game IS NULL OR game = $game) ORDER BY org_id, game;
            """, ("$org", orgId), ("$game", game));
        var pairs = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }
        return pairs;
    }

    public Task<int> EnqueueStaleAsync(string game, string? standardId, IReadOnlyCollection<string> exceptStandards, string version, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, """
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                SELECT $projection, org_id, game, player_key, standard_id, last_event_id, $now, $now FROM mastery
                WHERE game = $game AND ($s IS NULL OR standard_id = $s) AND standard_id NOT IN (SELECT value FROM json_each($except))
                  AND param_version <> $version AND param_version NOT LIKE 'fit:%'
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = version + 1;
                """, ("$projection", MasteryProjection.Name), ("$now", TimeCodec.ToMicros(now)), ("$game", game), ("$s", standardId),
                ("$except", System.Text.Json.JsonSerializer.Serialize(exceptStandards)), ("$version", version));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> ListPlayersAsync(string orgId, string game, string standardId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT player_key FROM mastery WHERE org_id = $org AND game = $game AND standard_id = $s ORDER BY player_key;",
            ("$org", orgId), ("$game", game), ("$s", standardId));
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
