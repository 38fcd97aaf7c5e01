using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    /// <summary>Runs a write on the single writer connection, in one transaction.</summary>
    private async Task<T> InWriteTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            WriterCommands();
            using var tx = _writer!.BeginTransaction();
            var result = work(_writer, tx);
            tx.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw WriterFailed(ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public Task<IReadOnlyList<JobLease>> ClaimJobsAsync(string workerId, int max, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken) =>
        InWriteTransactionAsync<IReadOnlyList<JobLease>>((connection, tx) =>
        {
            var nowMicros = TimeCodec.ToMicros(now);
            using var command = Command(connection, tx, """
                UPDATE jobs SET lease_owner = $worker, lease_until = $until, attempts = attempts + 1
                WHERE id IN (SELECT id FROM jobs
                             WHERE run_after <= $now AND (lease_until IS NULL OR lease_until < $now)
                             ORDER BY run_after, id LIMIT $max)
                RETURNING id, org_id, game, player_key, point_id, version, attempts, trigger_event_id;
                """, ("$worker", workerId), ("$until", nowMicros + (long)lease.TotalMicroseconds), ("$now", nowMicros), ("$max", max));
            using var reader = command.ExecuteReader();
            var jobs = new List<JobLease>();
            while (reader.Read())
            {
                jobs.Add(new JobLease(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt64(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
            return jobs;
        }, cancellationToken);

    public Task<bool> CompleteJobAsync(JobLease job, string workerId, string pointId, ProgressRow? row, DateTimeOffset now, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) => CompleteJob(connection, tx, job, workerId, pointId, row, now), cancellationToken);

    // One transaction for a whole claim: the single writer is shared with ingest's group commits, and each transaction
    // waits its turn behind them and ends in its own fsync; one per job capped a worker at a few hundred jobs a second.
    public Task<IReadOnlyList<bool>> CompleteJobsAsync(IReadOnlyList<JobCompletion> completions, string workerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        completions.Count == 0
            ? Task.FromResult<IReadOnlyList<bool>>([])
            : InWriteTransactionAsync<IReadOnlyList<bool>>((connection, tx) =>
            {
                var gone = new bool[completions.Count];
                for (var i = 0; i < completions.Count; i++)
                {
                    var (job, pointId, row) = completions[i];
                    gone[i] = CompleteJob(connection, tx, job, workerId, pointId, row, now);
                }
                return gone;
            }, cancellationToken);

    private static bool CompleteJob(SqliteConnection connection, SqliteTransaction tx, JobLease job, string workerId, string pointId, ProgressRow? row, DateTimeOffset now)
    {
        // A worker whose lease ran out and was taken over may hold a stale result: the job's new owner writes it.
        using var owned = Command(connection, tx, "SELECT 1 FROM jobs WHERE id = $id AND lease_owner = $worker;",
            ("$id", job.Id), ("$worker", workerId));
        if (owned.ExecuteScalar() is null)
        {
            return false;
        }
        ApplyProgress(connection, tx, job.OrgId, job.Game, job.PlayerKey, pointId, row, now);
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
        InWriteTransactionAsync((connection, tx) =>
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
                INSERT INTO dead_jobs (org_id, game, player_key, point_id, trigger_event_id, attempts, last_error, failed_at)
                SELECT org_id, game, player_key, point_id, trigger_event_id, attempts, $error, $now FROM jobs WHERE id = $id AND lease_owner = $worker;
                DELETE FROM jobs WHERE id = $id AND lease_owner = $worker;
                """, ("$error", message), ("$now", TimeCodec.ToMicros(now)), ("$id", job.Id), ("$worker", workerId));
            dead.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<DeadJob>> ListDeadJobsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, org_id, game, player_key, point_id, trigger_event_id, attempts, last_error, failed_at
            FROM dead_jobs ORDER BY id DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<DeadJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new DeadJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                NullableString(reader, 5), reader.GetInt32(6), NullableString(reader, 7), TimeCodec.FromMicros(reader.GetInt64(8))));
        }
        return jobs;
    }

    public Task<int> RetryDeadJobsAsync(long? id, DateTimeOffset now, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
        {
            // SQLite needs a WHERE on an upsert's SELECT ("WHERE true" at least), or it cannot parse ON CONFLICT.
            var filter = id is null ? " WHERE true" : " WHERE id = $id";
            using var requeue = Command(connection, tx, $"""
                INSERT INTO jobs (org_id, game, player_key, point_id, trigger_event_id, run_after, created_at)
                SELECT org_id, game, player_key, point_id, trigger_event_id, $now, $now FROM dead_jobs{filter}
                ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET version = version + 1, run_after = excluded.run_after;
                """, ("$now", TimeCodec.ToMicros(now)), ("$id", id));
            requeue.ExecuteNonQuery();
            using var delete = Command(connection, tx, $"DELETE FROM dead_jobs{filter};", ("$id", id));
            return delete.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<JobCounts> CountJobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
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

    public Task<int> EnqueueStaleRecomputesAsync(string game, string pointId, string currentVersion, DateTimeOffset now, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, """
                INSERT INTO jobs (org_id, game, player_key, point_id, trigger_event_id, run_after, created_at)
                SELECT org_id, game, player_key, point_id, trigger_event_id, $now, $now FROM progress_points
                WHERE game = $game AND point_id = $point AND score_version <> $version
                ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET version = version + 1;
                """, ("$now", TimeCodec.ToMicros(now)), ("$game", game), ("$point", pointId), ("$version", currentVersion));
            return command.ExecuteNonQuery();
        }, cancellationToken);

}
