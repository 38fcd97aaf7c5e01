using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>The job queue of every projection on PostgreSQL: workers in any number of processes claim disjoint jobs.</summary>
internal sealed class PostgresJobQueue(PostgresDatabase db, IReadOnlyDictionary<string, Projections.IProjectionStore> projections) : IJobQueue
{
    public Task<IReadOnlyList<JobLease>> ClaimJobsAsync(string workerId, int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync<IReadOnlyList<JobLease>>(async (connection, tx) =>
        {
            // SKIP LOCKED: workers in many processes take disjoint jobs without waiting on each other.
            await using var command = Command(connection, tx, """
                UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
                WHERE id IN (SELECT id FROM jobs
                             WHERE run_after <= $3 AND (lease_until IS NULL OR lease_until < $3)
                             ORDER BY run_after, id LIMIT $4 FOR UPDATE SKIP LOCKED)
                RETURNING id, projection, org_id, game, player_key, job_key, version, attempts, trigger_event_id;
                """, workerId, now + lease, now, max);
            var jobs = new List<JobLease>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(new JobLease(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetInt64(6), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
            return jobs;
        }, cancellationToken);

    private Task<bool> CompleteJobAsync(JobCompletion completion, string workerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            // Lock the job: a worker whose lease ran out and was taken over holds a stale result and writes nothing.
            await using var owned = Command(connection, tx, "SELECT version FROM jobs WHERE id = $1 AND lease_owner = $2 FOR UPDATE;", completion.Job.Id, workerId);
            return await owned.ExecuteScalarAsync(cancellationToken) is long version
                && await CompleteLockedJobAsync(tx, completion, version, now, cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<bool>> CompleteJobsAsync(
        IReadOnlyList<JobCompletion> completions, string workerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (completions.Count == 0)
        {
            return [];
        }
        var gone = new bool?[completions.Count];
        await db.InTransactionAsync(async (connection, tx) =>
        {
            // The batch's jobs are locked at once, skipping any another transaction holds: ingest locks the jobs it bumps in no
            // particular order, so waiting here for one while holding the others could deadlock with it. Those skipped (and any
            // whose lease was lost) are completed one by one afterwards, each waiting for its lock like CompleteJobAsync.
            var versions = new Dictionary<long, long>();
            await using (var owned = Command(connection, tx, "SELECT id, version FROM jobs WHERE id = ANY($1) AND lease_owner = $2 FOR UPDATE SKIP LOCKED;",
                completions.Select(c => c.Job.Id).ToArray(), workerId))
            await using (var reader = await owned.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    versions[reader.GetInt64(0)] = reader.GetInt64(1);
                }
            }
            for (var i = 0; i < completions.Count; i++)
            {
                if (versions.TryGetValue(completions[i].Job.Id, out var version))
                {
                    gone[i] = await CompleteLockedJobAsync(tx, completions[i], version, now, cancellationToken);
                }
            }
            return 0;
        }, cancellationToken);
        var results = new bool[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            results[i] = gone[i] ?? await CompleteJobAsync(completions[i], workerId, now, cancellationToken);
        }
        return results;
    }

    /// <summary>Stores the result of a job this transaction holds locked (at <paramref name="version"/>); deletes or frees the job.</summary>
    private async Task<bool> CompleteLockedJobAsync(
        NpgsqlTransaction tx, JobCompletion completion, long version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var job = completion.Job;
        var connection = tx.Connection!;
        // The result is written by the projection's own store, in this transaction.
        await projections[job.Projection].WriteAsync(tx, job, completion.Result, now, cancellationToken);
        if (version == job.Version)
        {
            await using var delete = Command(connection, tx, "DELETE FROM jobs WHERE id = $1;", job.Id);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        // A new trigger arrived while this ran: free the job so the recompute runs again and sees it.
        await using var release = Command(connection, tx, "UPDATE jobs SET lease_owner = NULL, lease_until = NULL, attempts = 0 WHERE id = $1;", job.Id);
        await release.ExecuteNonQueryAsync(cancellationToken);
        return false;
    }

    public Task FailJobAsync(JobLease job, string workerId, string error, DateTimeOffset? retryAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            var message = error.Length > 2000 ? error[..2000] : error;
            if (retryAt is { } at)
            {
                await using var retry = Command(connection, tx, """
                    UPDATE jobs SET lease_owner = NULL, lease_until = NULL, run_after = $1, last_error = $2
                    WHERE id = $3 AND lease_owner = $4;
                    """, at, message, job.Id, workerId);
                await retry.ExecuteNonQueryAsync(cancellationToken);
                return 0;
            }
            await using var dead = Command(connection, tx, """
                WITH gone AS (DELETE FROM jobs WHERE id = $3 AND lease_owner = $4
                              RETURNING projection, org_id, game, player_key, job_key, trigger_event_id, attempts)
                INSERT INTO dead_jobs (projection, org_id, game, player_key, job_key, trigger_event_id, attempts, last_error, failed_at)
                SELECT projection, org_id, game, player_key, job_key, trigger_event_id, attempts, $1, $2 FROM gone;
                """, message, now, job.Id, workerId);
            await dead.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<DeadJob>> ListDeadJobsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT id, projection, org_id, game, player_key, job_key, trigger_event_id, attempts, last_error, failed_at
            FROM dead_jobs ORDER BY id DESC LIMIT $1;
            """, connection);
        command.Parameters.AddWithValue(limit);
        var jobs = new List<DeadJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new DeadJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                Utc(reader.GetDateTime(9))));
        }
        return jobs;
    }

    public Task<int> RetryDeadJobsAsync(long? id, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using var requeue = Command(connection, tx, """
                WITH gone AS (DELETE FROM dead_jobs WHERE $2::bigint IS NULL OR id = $2
                              RETURNING projection, org_id, game, player_key, job_key, trigger_event_id),
                     one AS (SELECT DISTINCT ON (projection, org_id, game, player_key, job_key) * FROM gone),
                     queued AS (INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                                SELECT projection, org_id, game, player_key, job_key, trigger_event_id, $1, $1 FROM one
                                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = jobs.version + 1, run_after = excluded.run_after)
                SELECT COUNT(*) FROM gone;
                """, now, id is null ? null : (object)id.Value);
            requeue.Parameters[1].NpgsqlDbType = NpgsqlDbType.Bigint;
            return Convert.ToInt32(await requeue.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public async Task<JobCounts> CountJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT COUNT(*) FROM jobs WHERE lease_owner IS NULL),
                   (SELECT COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL),
                   (SELECT COUNT(*) FROM dead_jobs),
                   (SELECT MIN(run_after) FROM jobs WHERE lease_owner IS NULL);
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new JobCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : Utc(reader.GetDateTime(3)));
    }

    public async Task<IReadOnlyDictionary<string, JobCounts>> CountJobsByProjectionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT projection, SUM(pending)::bigint, SUM(leased)::bigint, SUM(dead)::bigint, MIN(oldest) FROM (
                SELECT projection, (lease_owner IS NULL)::int AS pending, (lease_owner IS NOT NULL)::int AS leased, 0 AS dead,
                       CASE WHEN lease_owner IS NULL THEN run_after END AS oldest FROM jobs
                UNION ALL SELECT projection, 0, 0, 1, NULL FROM dead_jobs) q
            GROUP BY projection;
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, JobCounts>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = new JobCounts(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : Utc(reader.GetDateTime(4)));
        }
        return counts;
    }

    public Task<int> EnqueueAsync(IReadOnlyList<QueuedJob> jobs, DateTimeOffset now, CancellationToken cancellationToken) =>
        jobs.Count == 0
            ? Task.FromResult(0)
            : db.InTransactionAsync((connection, tx) => EnqueueAsync(connection, tx, jobs, now, cancellationToken), cancellationToken);

    /// <summary>Queues or bumps jobs inside a transaction of the caller's (a rekey moves rows and requeues in one).</summary>
    internal static async Task<int> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<QueuedJob> jobs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return 0;
        }
        // Repeats are folded first: ON CONFLICT DO UPDATE may touch a row once per statement.
        var distinct = jobs.DistinctBy(j => (j.Projection, j.OrgId, j.Game, j.PlayerKey, j.Key)).ToList();
        await using var command = new NpgsqlCommand("""
            INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
            SELECT j, o, g, k, p, t, $7, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(j, o, g, k, p, t)
            ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET version = jobs.version + 1, run_after = LEAST(jobs.run_after, excluded.run_after);
            """, connection, tx);
        command.Parameters.Add(TextArray(distinct.Select(j => j.Projection)));
        command.Parameters.Add(TextArray(distinct.Select(j => j.OrgId)));
        command.Parameters.Add(TextArray(distinct.Select(j => j.Game)));
        command.Parameters.Add(TextArray(distinct.Select(j => j.PlayerKey)));
        command.Parameters.Add(TextArray(distinct.Select(j => j.Key)));
        command.Parameters.Add(TextArray(distinct.Select(j => j.TriggerEventId)));
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
