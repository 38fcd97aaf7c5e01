using Npgsql;
using NpgsqlTypes;

namespace Cairn.Storage.Postgres;

internal sealed partial class PostgresStore
{
    /// <summary>Runs work in one transaction, turning database failures into <see cref="StoreUnavailableException"/>.</summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, tx);
            await tx.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception ex) when (IsStoreError(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                DateTimeOffset time => new NpgsqlParameter { Value = time.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = value },
            });
        }
        return command;
    }

    public Task<IReadOnlyList<JobLease>> ClaimJobsAsync(string workerId, int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<JobLease>>(async (connection, tx) =>
        {
            // SKIP LOCKED: workers in many processes take disjoint jobs without waiting on each other.
            await using var command = Command(connection, tx, """
                UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
                WHERE id IN (SELECT id FROM jobs
                             WHERE run_after <= $3 AND (lease_until IS NULL OR lease_until < $3)
                             ORDER BY run_after, id LIMIT $4 FOR UPDATE SKIP LOCKED)
                RETURNING id, org_id, game, player_key, point_id, version, attempts, trigger_event_id;
                """, workerId, now + lease, now, max);
            var jobs = new List<JobLease>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(new JobLease(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt64(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
            return jobs;
        }, cancellationToken);

    public Task<bool> CompleteJobAsync(JobLease job, string workerId, string pointId, ProgressRow? row, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            // Lock the job: a worker whose lease ran out and was taken over holds a stale result and writes nothing.
            await using var owned = Command(connection, tx, "SELECT version FROM jobs WHERE id = $1 AND lease_owner = $2 FOR UPDATE;", job.Id, workerId);
            return await owned.ExecuteScalarAsync(cancellationToken) is long version
                && await CompleteLockedJobAsync(connection, tx, job, version, pointId, row, now, cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<bool>> CompleteJobsAsync(
        IReadOnlyList<JobCompletion> completions, string workerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (completions.Count == 0)
        {
            return [];
        }
        var gone = new bool?[completions.Count];
        await InTransactionAsync(async (connection, tx) =>
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
                var (job, pointId, row) = completions[i];
                if (versions.TryGetValue(job.Id, out var version))
                {
                    gone[i] = await CompleteLockedJobAsync(connection, tx, job, version, pointId, row, now, cancellationToken);
                }
            }
            return 0;
        }, cancellationToken);
        var results = new bool[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            var (job, pointId, row) = completions[i];
            results[i] = gone[i] ?? await CompleteJobAsync(job, workerId, pointId, row, now, cancellationToken);
        }
        return results;
    }

    /// <summary>Stores the result of a job this transaction holds locked (at <paramref name="version"/>); deletes or frees the job.</summary>
    private static async Task<bool> CompleteLockedJobAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, JobLease job, long version, string pointId, ProgressRow? row, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await ApplyProgressAsync(connection, tx, job.OrgId, job.Game, job.PlayerKey, pointId, row, now, cancellationToken);
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
        InTransactionAsync(async (connection, tx) =>
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
                              RETURNING org_id, game, player_key, point_id, trigger_event_id, attempts)
                INSERT INTO dead_jobs (org_id, game, player_key, point_id, trigger_event_id, attempts, last_error, failed_at)
                SELECT org_id, game, player_key, point_id, trigger_event_id, attempts, $1, $2 FROM gone;
                """, message, now, job.Id, workerId);
            await dead.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<DeadJob>> ListDeadJobsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT id, org_id, game, player_key, point_id, trigger_event_id, attempts, last_error, failed_at
            FROM dead_jobs ORDER BY id DESC LIMIT $1;
            """, connection);
        command.Parameters.AddWithValue(limit);
        var jobs = new List<DeadJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new DeadJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                Utc(reader.GetDateTime(8))));
        }
        return jobs;
    }

    public Task<int> RetryDeadJobsAsync(long? id, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            await using var requeue = Command(connection, tx, """
                WITH gone AS (DELETE FROM dead_jobs WHERE $2::bigint IS NULL OR id = $2
                              RETURNING org_id, game, player_key, point_id, trigger_event_id),
                     one AS (SELECT DISTINCT ON (org_id, game, player_key, point_id) * FROM gone),
                     queued AS (INSERT INTO jobs (org_id, game, player_key, point_id, trigger_event_id, run_after, created_at)
                                SELECT org_id, game, player_key, point_id, trigger_event_id, $1, $1 FROM one
                                ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET version = jobs.version + 1, run_after = excluded.run_after)
                SELECT COUNT(*) FROM gone;
                """, now, id is null ? null : (object)id.Value);
            requeue.Parameters[1].NpgsqlDbType = NpgsqlDbType.Bigint;
            return Convert.ToInt32(await requeue.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public async Task<JobCounts> CountJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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

    public Task<int> EnqueueStaleRecomputesAsync(string game, string pointId, string currentVersion, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, """
                INSERT INTO jobs (org_id, game, player_key, point_id, trigger_event_id, run_after, created_at)
                SELECT org_id, game, player_key, point_id, trigger_event_id, $1, $1 FROM progress_points
                WHERE game = $2 AND point_id = $3 AND score_version <> $4
                ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET version = jobs.version + 1;
                """, now, game, pointId, currentVersion);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
