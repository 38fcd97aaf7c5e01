using System.Globalization;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Storage.Sqlite;

/// <summary>The job queue of every projection on SQLite, on the single writer shared with ingest.</summary>
internal sealed class SqliteJobQueue(SqliteDatabase db, IReadOnlyDictionary<string, Projections.IProjectionStore> projections) : IJobQueue
{
    public Task<IReadOnlyList<JobLease>> ClaimJobsAsync(string workerId, int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync<IReadOnlyList<JobLease>>((connection, tx) =>
        {
            var nowMicros = TimeCodec.ToMicros(now);
            using var command = Command(connection, tx, """
                UPDATE jobs SET lease_owner = $worker, lease_until = $until, attempts = attempts + 1
                WHERE id IN (SELECT id FROM jobs
                             WHERE run_after <= $now AND (lease_until IS NULL OR lease_until < $now)
                             ORDER BY run_after, id LIMIT $max)
                RETURNING id, projection, org_id, game, player_key, job_key, version, attempts, trigger_event_id;
                """, ("$worker", workerId), ("$until", nowMicros + (long)lease.TotalMicroseconds), ("$now", nowMicros), ("$max", max));
            using var reader = command.ExecuteReader();
            var jobs = new List<JobLease>();
            while (reader.Read())
            {
                jobs.Add(new JobLease(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetInt64(6), reader.GetInt32(7), NullableString(reader, 8)));
            }
            return jobs;
        }, cancellationToken);

    // One transaction for a whole claim: the single writer is shared with ingest's group commits, and each transaction
    // waits its turn behind them and ends in its own fsync; one per job capped a worker at a few hundred jobs a second.
    public Task<IReadOnlyList<bool>> CompleteJobsAsync(IReadOnlyList<JobCompletion> completions, string workerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        completions.Count == 0
            ? Task.FromResult<IReadOnlyList<bool>>([])
            : db.InWriteTransactionAsync<IReadOnlyList<bool>>(async (connection, tx) =>
            {
                var gone = new bool[completions.Count];
                for (var i = 0; i < completions.Count; i++)
                {
                    gone[i] = await CompleteJobAsync(connection, tx, completions[i], workerId, now, cancellationToken);
                }
                return gone;
            }, cancellationToken);

    private async Task<bool> CompleteJobAsync(
        SqliteConnection connection, SqliteTransaction tx, JobCompletion completion, string workerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var job = completion.Job;
        // A worker whose lease ran out and was taken over may hold a stale result: the job's new owner writes it.
        using var owned = Command(connection, tx, "SELECT 1 FROM jobs WHERE id = $id AND lease_owner = $worker;",
            ("$id", job.Id), ("$worker", workerId));
        if (owned.ExecuteScalar() is null)
        {
            return false;
        }
        // The result is written by the projection's own store, in this transaction (a job of a projection no longer
        // registered was failed by the runner and never gets here).
        await projections[job.Projection].WriteAsync(tx, job, completion.Result, now, cancellationToken);
        using var delete = Command(connection, tx, "DELETE FROM jobs WHERE id = $id AND version = $version AND lease_owner = $worker;",
            ("$id", job.Id), ("$version", job.Version), ("$worker", workerId));
        if (delete.ExecuteNonQuery() == 1)
        {
            return true;
        }
        // A new trigger arrived while this ran: free the job so the recompute runs again and sees it.
        using var release = Command(connection, tx,
            "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, attempts = 0 WHERE id = $id AND lease_owner = $worker;",
            ("$id", job.Id), ("$worker", workerId));
        release.ExecuteNonQuery();
        return false;
    }

    public Task FailJobAsync(JobLease job, string workerId, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            var message = error.Length > 2000 ? error[..2000] : error;
            if (retryAt is { } at)
            {
                using var retry = Command(connection, tx, """
                    UPDATE jobs SET lease_owner = NULL, lease_until = NULL, run_after = $at, last_error = $error
                    WHERE id = $id AND lease_owner = $worker;
                    """, ("$at", TimeCodec.ToMicros(at)), ("$error", message), ("$id", job.Id), ("$worker", workerId));
                retry.ExecuteNonQuery();
                return 0;
            }
            using var dead = Command(connection, tx, """
                INSERT INTO dead_jobs (projection, org_id, game, player_key, job_key, trigger_event_id, attempts, last_error, failed_at)
                SELECT projection, org_id, game, player_key, job_key, trigger_event_id, attempts, $error, $now FROM jobs WHERE id = $id AND lease_owner = $worker;
                DELETE FROM jobs WHERE id = $id AND lease_owner = $worker;
                """, ("$error", message), ("$now", TimeCodec.ToMicros(now)), ("$id", job.Id), ("$worker", workerId));
            dead.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<DeadJob>> ListDeadJobsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, projection, org_id, game, player_key, job_key, trigger_event_id, attempts, last_error, failed_at
            FROM dead_jobs ORDER BY id DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<DeadJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new DeadJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                NullableString(reader, 6), reader.GetInt32(7), NullableString(reader, 8), TimeCodec.FromMicros(reader.GetInt64(9))));
        }
        return jobs;
    }

    public Task<int> RetryDeadJobsAsync(long? id, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            // SQLite needs a WHERE on an upsert's SELECT ("WHERE true" at least), or it cannot parse ON CONFLICT.
            var filter = id is null ? " WHERE true" : " WHERE id = $id";
            using var requeue = Command(connection, tx, $"""
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                SELECT projection, org_id, game, player_key, job_key, trigger_event_id, $now, $now FROM dead_jobs{filter}
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = version + 1, run_after = excluded.run_after;
                """, ("$now", TimeCodec.ToMicros(now)), ("$id", id));
            requeue.ExecuteNonQuery();
            using var delete = Command(connection, tx, $"DELETE FROM dead_jobs{filter};", ("$id", id));
            return delete.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<JobCounts> CountJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM jobs WHERE lease_owner IS NULL),
                   (SELECT COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL),
                   (SELECT COUNT(*) FROM dead_jobs),
                   (SELECT MIN(run_after) FROM jobs WHERE lease_owner IS NULL);
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new JobCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : TimeCodec.FromMicros(reader.GetInt64(3)));
    }

    public async Task<IReadOnlyDictionary<string, JobCounts>> CountJobsByProjectionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, """
            SELECT projection, SUM(pending), SUM(leased), SUM(dead), MIN(oldest) FROM (
                SELECT projection, lease_owner IS NULL AS pending, lease_owner IS NOT NULL AS leased, 0 AS dead,
                       CASE WHEN lease_owner IS NULL THEN run_after END AS oldest FROM jobs
                UNION ALL SELECT projection, 0, 0, 1, NULL FROM dead_jobs)
            GROUP BY projection;
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, JobCounts>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = new JobCounts(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : TimeCodec.FromMicros(reader.GetInt64(4)));
        }
        return counts;
    }

    public Task<int> EnqueueAsync(IReadOnlyList<QueuedJob> jobs, DateTimeOffset now, CancellationToken cancellationToken) =>
        jobs.Count == 0
            ? Task.FromResult(0)
            // Repeats are folded, as on PostgreSQL: a key given twice in one call is one job, bumped once.
            : db.InWriteTransactionAsync((connection, tx) => Enqueue(connection, tx, jobs.DistinctBy(j => (j.Projection, j.OrgId, j.Game, j.PlayerKey, j.Key)),
                TimeCodec.ToMicros(now)), cancellationToken);

    /// <summary>Queues or bumps jobs inside a write transaction of the caller's (a rekey moves rows and requeues in one).</summary>
    internal static int Enqueue(SqliteConnection connection, SqliteTransaction tx, IEnumerable<QueuedJob> jobs, long nowMicros)
    {
        using var command = Command(connection, tx, """
            INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
            VALUES ($projection, $org, $game, $pk, $key, $trigger, $now, $now)
            ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = version + 1, run_after = MIN(run_after, excluded.run_after);
            """, ("$projection", null), ("$org", null), ("$game", null), ("$pk", null), ("$key", null), ("$trigger", null), ("$now", nowMicros));
        var count = 0;
        foreach (var job in jobs)
        {
            command.Parameters["$projection"].Value = job.Projection;
            command.Parameters["$org"].Value = job.OrgId;
            command.Parameters["$game"].Value = job.Game;
            command.Parameters["$pk"].Value = job.PlayerKey;
            command.Parameters["$key"].Value = job.Key;
            command.Parameters["$trigger"].Value = (object?)job.TriggerEventId ?? DBNull.Value;
            count += command.ExecuteNonQuery();
        }
        return count;
    }
}
