using System.Data.Common;
using System.Globalization;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Mastery.Storage;

/// <summary>The mastery projection's tables on PostgreSQL: its rows (one per player and standard) and the fitted parameter versions.</summary>
internal sealed class PostgresMasteryStore(PostgresDatabase db) : IMasteryStore, IProjectionStore
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
                org_id text NOT NULL, game text NOT NULL, player_key text NOT NULL, standard_id text NOT NULL,
                p_mastery double precision NOT NULL, level text NOT NULL, observations integer NOT NULL, correct integer NOT NULL,
                scored integer NOT NULL, mean_score double precision, latest_score double precision,
                first_at timestamptz NOT NULL, last_at timestamptz NOT NULL, last_event_id text NOT NULL, param_version text NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (org_id, game, player_key, standard_id));
            CREATE INDEX mastery_by_player ON mastery (player_key);
            CREATE INDEX mastery_by_standard ON mastery (org_id, game, standard_id);
            CREATE TABLE mastery_parameters (
                org_id text NOT NULL, game text NOT NULL, standard_id text NOT NULL, version integer NOT NULL,
                prior double precision NOT NULL, learn double precision NOT NULL, guess double precision NOT NULL,
                slip double precision NOT NULL, forget double precision NOT NULL, log_likelihood double precision NOT NULL,
                auc double precision, players integer NOT NULL, observations integer NOT NULL, fitted_at timestamptz NOT NULL,
                PRIMARY KEY (org_id, game, standard_id, version));
            """),
        // The change log of the class mastery matrix (?since= and its live stream).
        (2, """
            CREATE TABLE mastery_changes (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, org_id text NOT NULL, game text NOT NULL, player_key text NOT NULL,
                standard_id text NOT NULL, changed_at timestamptz NOT NULL);
            CREATE INDEX mastery_changes_by_game ON mastery_changes (org_id, game, seq);
            CREATE INDEX mastery_changes_by_player ON mastery_changes (player_key);
            """),
    ];


    public IReadOnlyList<PlayerKeyTable> PlayerTables => MasteryProjection.PlayerTables;

    public async Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (NpgsqlTransaction)transaction;
        // The classes of the player recompute their rollups from this row (coalesced with their other triggers).
        await Rollups.RollupTriggers.EnqueueClassesOfAsync(tx.Connection!, tx, job.OrgId, job.Game, job.PlayerKey, now, cancellationToken);
        var row = result as MasteryRow;
        string? existing = null;
        await using (var current = Cmd(tx.Connection!, tx,
            "SELECT p_mastery, level, observations, last_at FROM mastery WHERE org_id = $1 AND game = $2 AND player_key = $3 AND standard_id = $4;",
            job.OrgId, job.Game, job.PlayerKey, job.Key))
        await using (var reader = await current.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                existing = Describe(reader.GetDouble(0), reader.GetString(1), reader.GetInt32(2), Utc(reader.GetDateTime(3)));
            }
        }
        // Only a change a matrix reader sees is logged (a recompute to the same answer is not).
        if (existing != (row is null ? null : Describe(row.PMastery, row.Level, row.Observations, row.LastAt)))
        {
            await LogChangeAsync(tx, job, now, cancellationToken);
        }
        if (row is null)
        {
            await using var delete = Cmd(tx.Connection!, tx,
                "DELETE FROM mastery WHERE org_id = $1 AND game = $2 AND player_key = $3 AND standard_id = $4;",
                job.OrgId, job.Game, job.PlayerKey, job.Key);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        await using var upsert = Cmd(tx.Connection!, tx, $"""
            INSERT INTO mastery ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (org_id, game, player_key, standard_id) DO UPDATE SET
                p_mastery = excluded.p_mastery, level = excluded.level, observations = excluded.observations, correct = excluded.correct,
                scored = excluded.scored, mean_score = excluded.mean_score, latest_score = excluded.latest_score, first_at = excluded.first_at,
                last_at = excluded.last_at, last_event_id = excluded.last_event_id, param_version = excluded.param_version, updated_at = excluded.updated_at;
            """, job.OrgId, job.Game, job.PlayerKey, job.Key, row.PMastery, row.Level, row.Observations, row.Correct, row.Scored,
            Double(row.MeanScore), Double(row.LatestScore), row.FirstAt, row.LastAt, row.LastEventId, row.ParameterVersion, now);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Describe(double pMastery, string level, int observations, DateTimeOffset lastAt) =>
        string.Join('|', pMastery.ToString("R", CultureInfo.InvariantCulture), level, observations.ToString(CultureInfo.InvariantCulture),
            TimeCodec.ToMicros(lastAt).ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Appends to the change log like the progress log: the advisory lock makes sequence order equal commit order, so a reader
    /// that has seen change N has seen every change before it (a cursor or Last-Event-ID never skips a change that commits
    /// late), and <c>NOTIFY</c> on the live-update channel wakes every node's streams.
    /// </summary>
    private static async Task LogChangeAsync(NpgsqlTransaction tx, JobLease job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The progress log's lock: one job completion may append to both logs, and two locks taken in either order could deadlock.
        await ExecuteAsync(tx.Connection!, tx, $"SELECT pg_advisory_xact_lock({Progress.Storage.PostgresProgressStore.ChangeLogLock});", cancellationToken);
        await using var log = Cmd(tx.Connection!, tx, """
            INSERT INTO mastery_changes (org_id, game, player_key, standard_id, changed_at) VALUES ($1, $2, $3, $4, $5) RETURNING seq;
            """, job.OrgId, job.Game, job.PlayerKey, job.Key, now);
        var seq = (long)(await log.ExecuteScalarAsync(cancellationToken))!;
        await using var notify = Cmd(tx.Connection!, tx, "SELECT pg_notify($1, $2);", Progress.Storage.PostgresProgressStore.ProgressChannel,
            "mastery:" + seq.ToString(CultureInfo.InvariantCulture));
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Like <c>PostgresSql.Command</c>, and a ready parameter (a typed null) passes as it is.</summary>
    private static NpgsqlCommand Cmd(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                NpgsqlParameter ready => ready,
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                DateTimeOffset time => new NpgsqlParameter { Value = time.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = value },
            });
        }
        return command;
    }

    private static NpgsqlParameter Double(double? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double };

    public async Task<IReadOnlyList<MasteryRow>> GetPlayerMasteryAsync(string playerKey, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Cmd(connection, null, $"""
            SELECT {Columns} FROM mastery WHERE player_key = $1 AND ($2::text IS NULL OR game = $2)
            ORDER BY game COLLATE "C", standard_id COLLATE "C";
            """, playerKey, game);
        return await ReadRowsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<MasteryRow>> ReadRowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<MasteryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MasteryRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4),
                reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.IsDBNull(10) ? null : reader.GetDouble(10), Utc(reader.GetDateTime(11)), Utc(reader.GetDateTime(12)),
                reader.GetString(13), reader.GetString(14), Utc(reader.GetDateTime(15))));
        }
        return rows;
    }

    public async Task<IReadOnlyList<MasteryRow>> GetGroupMasteryAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Cmd(connection, null, $"""
            SELECT {string.Join(", ", Columns.Split(',').Select(c => "x." + c.Trim()))}
            FROM group_members m
            JOIN mastery x ON x.org_id = $1 AND x.game = $2 AND x.player_key = m.player_key
            WHERE m.org_id = $1 AND m.group_id = $3;
            """, group.OrgId, group.Game, group.Id);
        return await ReadRowsAsync(command, cancellationToken);
    }

    public async Task<long> GetLatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Cmd(connection, null, "SELECT COALESCE(MAX(seq), 0) FROM mastery_changes;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<MasteryChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Cmd(connection, null, """
            SELECT c.seq, c.player_key, c.standard_id, x.p_mastery, x.level, x.observations, x.last_at
            FROM mastery_changes c
            JOIN group_members m ON m.org_id = c.org_id AND m.group_id = $1 AND m.player_key = c.player_key
            LEFT JOIN mastery x ON x.org_id = c.org_id AND x.game = c.game AND x.player_key = c.player_key AND x.standard_id = c.standard_id
            WHERE c.org_id = $2 AND c.game = $3 AND c.seq > $4
            ORDER BY c.seq LIMIT $5;
            """, group.Id, group.OrgId, group.Game, afterSeq, limit);
        var changes = new List<MasteryChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var gone = reader.IsDBNull(3);
            changes.Add(new MasteryChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), gone ? null : reader.GetDouble(3),
                gone ? null : reader.GetString(4), gone ? 0 : reader.GetInt32(5), gone ? null : Utc(reader.GetDateTime(6))));
        }
        return changes;
    }

    public async Task<FittedParameters?> GetLatestParametersAsync(string orgId, string game, string standardId, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Cmd(connection, null, """
            SELECT version, prior, learn, guess, slip, forget, log_likelihood, auc, players, observations, fitted_at
            FROM mastery_parameters WHERE org_id = $1 AND game = $2 AND standard_id = $3 ORDER BY version DESC LIMIT 1;
            """, orgId, game, standardId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new FittedParameters(orgId, game, standardId, reader.GetInt32(0),
            new BktParameters(reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)),
            reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.GetInt32(8), reader.GetInt32(9), Utc(reader.GetDateTime(10)));
    }

    public Task<IReadOnlyList<FittedParameters>> AddParametersAsync(IReadOnlyList<FittedParameters> fits, CancellationToken cancellationToken) =>
        db.InTransactionAsync<IReadOnlyList<FittedParameters>>(async (connection, tx) =>
        {
            var stored = new List<FittedParameters>(fits.Count);
            foreach (var fit in fits)
            {
                // Two fits of one standard at once: the lock makes the second take the next version instead of failing.
                await using (var lockCommand = Cmd(connection, tx, "SELECT pg_advisory_xact_lock(hashtext('mastery_parameters:' || $1 || ':' || $2 || ':' || $3));",
                    fit.OrgId, fit.Game, fit.StandardId))
                {
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken);
                }
                await using var insert = Cmd(connection, tx, """
                    INSERT INTO mastery_parameters (org_id, game, standard_id, version, prior, learn, guess, slip, forget, log_likelihood, auc,
                                                    players, observations, fitted_at)
                    SELECT $1, $2, $3, COALESCE(MAX(version), 0) + 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
                    FROM mastery_parameters WHERE org_id = $1 AND game = $2 AND standard_id = $3
                    RETURNING version;
                    """, fit.OrgId, fit.Game, fit.StandardId, fit.Parameters.Prior, fit.Parameters.Learn, fit.Parameters.Guess, fit.Parameters.Slip,
                    fit.Parameters.Forget, fit.LogLikelihood, Double(fit.Auc), fit.Players, fit.Observations, fit.FittedAt);
                stored.Add(fit with { Version = (int)(await insert.ExecuteScalarAsync(cancellationToken))! });
            }
            return stored;
        }, cancellationToken);

    public async Task<IReadOnlyList<(string OrgId, string Game)>> ListOrgGamesAsync(string? orgId, string? game, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Cmd(connection, null, """
            SELECT DISTINCT org_id, game FROM mastery WHERE ($1::text IS NULL OR org_id = $1) AND ($2::text IS NULL OR game = $2)
            ORDER BY org_id, game;
            """, orgId, game);
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
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Cmd(connection, tx, """
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                SELECT $1, org_id, game, player_key, standard_id, last_event_id, $2, $2 FROM mastery
                WHERE game = $3 AND ($4::text IS NULL OR standard_id = $4) AND NOT (standard_id = ANY($5))
                  AND param_version <> $6 AND param_version NOT LIKE 'fit:%'
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = jobs.version + 1;
                """, MasteryProjection.Name, now, game, standardId, TextArray(exceptStandards), version);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> ListPlayersAsync(string orgId, string game, string standardId, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Cmd(connection, null,
            "SELECT player_key FROM mastery WHERE org_id = $1 AND game = $2 AND standard_id = $3 ORDER BY player_key COLLATE \"C\";",
            orgId, game, standardId);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
