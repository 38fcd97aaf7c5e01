using System.Data;
using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Rollups.Storage;

/// <summary>The rollups projection's tables on PostgreSQL: per class, per assignment, per standard and per student.</summary>
internal sealed class PostgresRollupStore(PostgresDatabase db) : IRollupStore, IProjectionStore
{
    private static readonly string[] Tables = ["rollup_classes", "rollup_assignments", "rollup_standards", RollupsProjection.StudentsTable];

    public string Projection => RollupsProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE rollup_classes (
                org_id text NOT NULL, game text NOT NULL, group_id text NOT NULL, students integer NOT NULL, assigned integer NOT NULL,
                graded integer NOT NULL, completion_rate double precision, average_score double precision, median_completion double precision,
                computed_at timestamptz NOT NULL,
                PRIMARY KEY (org_id, game, group_id));
            CREATE TABLE rollup_assignments (
                org_id text NOT NULL, game text NOT NULL, group_id text NOT NULL, assignment_id text NOT NULL, assigned integer NOT NULL,
                graded integer NOT NULL, average_score double precision, standards text NOT NULL, levels text NOT NULL,
                PRIMARY KEY (org_id, game, group_id, assignment_id));
            CREATE TABLE rollup_standards (
                org_id text NOT NULL, game text NOT NULL, group_id text NOT NULL, standard_id text NOT NULL, levels text NOT NULL,
                PRIMARY KEY (org_id, game, group_id, standard_id));
            CREATE TABLE rollup_students (
                org_id text NOT NULL, game text NOT NULL, group_id text NOT NULL, player_key text NOT NULL, assigned integer NOT NULL,
                graded integer NOT NULL, completion_rate double precision, average_score double precision, last_event_at timestamptz,
                assignments text NOT NULL, started text NOT NULL, computed_at timestamptz NOT NULL,
                PRIMARY KEY (org_id, game, group_id, player_key));
            CREATE INDEX rollup_students_by_player ON rollup_students (player_key);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => RollupsProjection.PlayerTables;

    public async Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (NpgsqlTransaction)transaction;
        var connection = tx.Connection!;
        if (job.PlayerKey.Length > 0)
        {
            await RollupTriggers.EnqueueClassesOfAsync(connection, tx, job.OrgId, job.Game, job.PlayerKey, now, cancellationToken);
            return;
        }
        foreach (var table in Tables)
        {
            await using var delete = Cmd(connection, tx, $"DELETE FROM {table} WHERE org_id = $1 AND game = $2 AND group_id = $3;", job.OrgId, job.Game, job.Key);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        if (result is not ClassRollup rollup)
        {
            return;
        }
        var s = rollup.Summary;
        await using (var insert = Cmd(connection, tx, """
            INSERT INTO rollup_classes (org_id, game, group_id, students, assigned, graded, completion_rate, average_score, median_completion, computed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);
            """, job.OrgId, job.Game, job.Key, s.Students, s.Assigned, s.Graded, Number(s.CompletionRate), Number(s.AverageScore), Number(s.MedianCompletion), s.ComputedAt))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var a in rollup.Assignments)
        {
            await using var insert = Cmd(connection, tx, """
                INSERT INTO rollup_assignments (org_id, game, group_id, assignment_id, assigned, graded, average_score, standards, levels)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);
                """, job.OrgId, job.Game, job.Key, a.AssignmentId, a.Assigned, a.Graded, Number(a.AverageScore), RollupJson.Write(a.Standards), RollupJson.Write(a.Levels));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var standard in rollup.Standards)
        {
            await using var insert = Cmd(connection, tx, "INSERT INTO rollup_standards (org_id, game, group_id, standard_id, levels) VALUES ($1, $2, $3, $4, $5);",
                job.OrgId, job.Game, job.Key, standard.StandardId, RollupJson.Write(standard.Levels));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var student in rollup.Students)
        {
            await using var insert = Cmd(connection, tx, """
                INSERT INTO rollup_students (org_id, game, group_id, player_key, assigned, graded, completion_rate, average_score, last_event_at,
                                             assignments, started, computed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);
                """, job.OrgId, job.Game, job.Key, student.PlayerKey, student.Assigned, student.Graded, Number(student.CompletionRate),
                Number(student.AverageScore), new NpgsqlParameter { Value = (object?)student.LastEventAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                RollupJson.Write(student.Assignments), RollupJson.Write(student.Started), now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<ClassRollup?> GetClassAsync(string orgId, string game, string groupId, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot: a job that writes between the four reads cannot mix two rollups.
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        ClassSummary summary;
        await using (var command = Cmd(connection, tx, """
            SELECT students, assigned, graded, completion_rate, average_score, median_completion, computed_at FROM rollup_classes
            WHERE org_id = $1 AND game = $2 AND group_id = $3;
            """, orgId, game, groupId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            summary = new ClassSummary(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), Double(reader, 3), Double(reader, 4), Double(reader, 5),
                Utc(reader.GetDateTime(6)));
        }
        var assignments = new List<AssignmentRollup>();
        await using (var command = Cmd(connection, tx, """
            SELECT assignment_id, assigned, graded, average_score, standards, levels FROM rollup_assignments
            WHERE org_id = $1 AND game = $2 AND group_id = $3 ORDER BY assignment_id COLLATE "C";
            """, orgId, game, groupId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                assignments.Add(new AssignmentRollup(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), Double(reader, 3),
                    RollupJson.Read<List<string>>(reader.GetString(4)), RollupJson.Read<LevelCounts>(reader.GetString(5))));
            }
        }
        var standards = new List<StandardRollup>();
        await using (var command = Cmd(connection, tx,
            "SELECT standard_id, levels FROM rollup_standards WHERE org_id = $1 AND game = $2 AND group_id = $3 ORDER BY standard_id COLLATE \"C\";", orgId, game, groupId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                standards.Add(new StandardRollup(reader.GetString(0), RollupJson.Read<LevelCounts>(reader.GetString(1))));
            }
        }
        var students = new List<StudentFacts>();
        await using (var command = Cmd(connection, tx, """
            SELECT player_key, assigned, graded, completion_rate, average_score, last_event_at, assignments, started FROM rollup_students
            WHERE org_id = $1 AND game = $2 AND group_id = $3 ORDER BY player_key COLLATE "C";
            """, orgId, game, groupId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                students.Add(new StudentFacts(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), Double(reader, 3), Double(reader, 4),
                    reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5)),
                    RollupJson.Read<List<AssignmentFact>>(reader.GetString(6)), RollupJson.Read<List<StartedPoint>>(reader.GetString(7))));
            }
        }
        await tx.CommitAsync(cancellationToken);
        return new ClassRollup(groupId, summary, assignments, standards, students);
    }

    private static NpgsqlParameter Number(double? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double };

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

    private static double? Double(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
}
