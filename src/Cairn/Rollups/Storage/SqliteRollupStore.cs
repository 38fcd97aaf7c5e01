using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Rollups.Storage;

/// <summary>The rollups projection's tables on SQLite: per class, per assignment, per standard and per student.</summary>
internal sealed class SqliteRollupStore(SqliteDatabase db) : IRollupStore, IProjectionStore
{
    private static readonly string[] Tables = ["rollup_classes", "rollup_assignments", "rollup_standards", RollupsProjection.StudentsTable];

    public string Projection => RollupsProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE rollup_classes (
                org_id TEXT NOT NULL, game TEXT NOT NULL, group_id TEXT NOT NULL, students INTEGER NOT NULL, assigned INTEGER NOT NULL,
                graded INTEGER NOT NULL, completion_rate REAL, average_score REAL, median_completion REAL, computed_at INTEGER NOT NULL,
                PRIMARY KEY (org_id, game, group_id));
            CREATE TABLE rollup_assignments (
                org_id TEXT NOT NULL, game TEXT NOT NULL, group_id TEXT NOT NULL, assignment_id TEXT NOT NULL, assigned INTEGER NOT NULL,
                graded INTEGER NOT NULL, average_score REAL, standards TEXT NOT NULL, levels TEXT NOT NULL,
                PRIMARY KEY (org_id, game, group_id, assignment_id));
            CREATE TABLE rollup_standards (
                org_id TEXT NOT NULL, game TEXT NOT NULL, group_id TEXT NOT NULL, standard_id TEXT NOT NULL, levels TEXT NOT NULL,
                PRIMARY KEY (org_id, game, group_id, standard_id));
            CREATE TABLE rollup_students (
                org_id TEXT NOT NULL, game TEXT NOT NULL, group_id TEXT NOT NULL, player_key TEXT NOT NULL, assigned INTEGER NOT NULL,
                graded INTEGER NOT NULL, completion_rate REAL, average_score REAL, last_event_at INTEGER, assignments TEXT NOT NULL,
                started TEXT NOT NULL, computed_at INTEGER NOT NULL,
                PRIMARY KEY (org_id, game, group_id, player_key));
            CREATE INDEX rollup_students_by_player ON rollup_students (player_key);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => RollupsProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tx = (SqliteTransaction)transaction;
        var connection = tx.Connection!;
        var micros = TimeCodec.ToMicros(now);
        if (job.PlayerKey.Length > 0)
        {
            RollupTriggers.EnqueueClassesOf(connection, tx, job.OrgId, job.Game, job.PlayerKey, micros);
            return Task.CompletedTask;
        }
        foreach (var table in Tables)
        {
            using var delete = Command(connection, tx, $"DELETE FROM {table} WHERE org_id = $org AND game = $game AND group_id = $g;",
                ("$org", job.OrgId), ("$game", job.Game), ("$g", job.Key));
            delete.ExecuteNonQuery();
        }
        if (result is not ClassRollup rollup)
        {
            return Task.CompletedTask;
        }
        (string, object?)[] key = [("$org", job.OrgId), ("$game", job.Game), ("$g", job.Key)];
        var s = rollup.Summary;
        using (var insert = Command(connection, tx, """
            INSERT INTO rollup_classes (org_id, game, group_id, students, assigned, graded, completion_rate, average_score, median_completion, computed_at)
            VALUES ($org, $game, $g, $students, $assigned, $graded, $rate, $avg, $median, $at);
            """, [.. key, ("$students", s.Students), ("$assigned", s.Assigned), ("$graded", s.Graded), ("$rate", s.CompletionRate),
                ("$avg", s.AverageScore), ("$median", s.MedianCompletion), ("$at", TimeCodec.ToMicros(s.ComputedAt))]))
        {
            insert.ExecuteNonQuery();
        }
        foreach (var a in rollup.Assignments)
        {
            using var insert = Command(connection, tx, """
                INSERT INTO rollup_assignments (org_id, game, group_id, assignment_id, assigned, graded, average_score, standards, levels)
                VALUES ($org, $game, $g, $a, $assigned, $graded, $avg, $standards, $levels);
                """, [.. key, ("$a", a.AssignmentId), ("$assigned", a.Assigned), ("$graded", a.Graded), ("$avg", a.AverageScore),
                    ("$standards", RollupJson.Write(a.Standards)), ("$levels", RollupJson.Write(a.Levels))]);
            insert.ExecuteNonQuery();
        }
        foreach (var standard in rollup.Standards)
        {
            using var insert = Command(connection, tx, "INSERT INTO rollup_standards (org_id, game, group_id, standard_id, levels) VALUES ($org, $game, $g, $s, $levels);",
                [.. key, ("$s", standard.StandardId), ("$levels", RollupJson.Write(standard.Levels))]);
            insert.ExecuteNonQuery();
        }
        foreach (var student in rollup.Students)
        {
            using var insert = Command(connection, tx, """
                INSERT INTO rollup_students (org_id, game, group_id, player_key, assigned, graded, completion_rate, average_score, last_event_at,
                                             assignments, started, computed_at)
                VALUES ($org, $game, $g, $pk, $assigned, $graded, $rate, $avg, $last, $assignments, $started, $at);
                """, [.. key, ("$pk", student.PlayerKey), ("$assigned", student.Assigned), ("$graded", student.Graded), ("$rate", student.CompletionRate),
                    ("$avg", student.AverageScore), ("$last", student.LastEventAt is { } last ? TimeCodec.ToMicros(last) : null),
                    ("$assignments", RollupJson.Write(student.Assignments)), ("$started", RollupJson.Write(student.Started)), ("$at", micros)]);
            insert.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    public async Task<ClassRollup?> GetClassAsync(string orgId, string game, string groupId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        // One snapshot: a job that writes between the four reads cannot mix two rollups.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        (string, object?)[] key = [("$org", orgId), ("$game", game), ("$g", groupId)];
        ClassSummary summary;
        using (var command = Command(connection, tx, """
            SELECT students, assigned, graded, completion_rate, average_score, median_completion, computed_at FROM rollup_classes
            WHERE org_id = $org AND game = $game AND group_id = $g;
            """, key))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            summary = new ClassSummary(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), Double(reader, 3), Double(reader, 4), Double(reader, 5),
                TimeCodec.FromMicros(reader.GetInt64(6)));
        }
        var assignments = new List<AssignmentRollup>();
        using (var command = Command(connection, tx, """
            SELECT assignment_id, assigned, graded, average_score, standards, levels FROM rollup_assignments
            WHERE org_id = $org AND game = $game AND group_id = $g ORDER BY assignment_id;
            """, key))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                assignments.Add(new AssignmentRollup(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), Double(reader, 3),
                    RollupJson.Read<List<string>>(reader.GetString(4)), RollupJson.Read<LevelCounts>(reader.GetString(5))));
            }
        }
        var standards = new List<StandardRollup>();
        using (var command = Command(connection, tx, "SELECT standard_id, levels FROM rollup_standards WHERE org_id = $org AND game = $game AND group_id = $g ORDER BY standard_id;", key))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                standards.Add(new StandardRollup(reader.GetString(0), RollupJson.Read<LevelCounts>(reader.GetString(1))));
            }
        }
        var students = new List<StudentFacts>();
        using (var command = Command(connection, tx, """
            SELECT player_key, assigned, graded, completion_rate, average_score, last_event_at, assignments, started FROM rollup_students
            WHERE org_id = $org AND game = $game AND group_id = $g ORDER BY player_key;
            """, key))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                students.Add(new StudentFacts(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), Double(reader, 3), Double(reader, 4),
                    reader.IsDBNull(5) ? null : TimeCodec.FromMicros(reader.GetInt64(5)),
                    RollupJson.Read<List<AssignmentFact>>(reader.GetString(6)), RollupJson.Read<List<StartedPoint>>(reader.GetString(7))));
            }
        }
        return new ClassRollup(groupId, summary, assignments, standards, students);
    }

    private static double? Double(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
}
