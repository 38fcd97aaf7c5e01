using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>
/// The scale-out database: one PostgreSQL database shared by any number of <c>cairn serve</c> and <c>cairn worker</c>
/// processes, under the stores of every concern (<see cref="PostgresEventLog"/>, <see cref="PostgresJobQueue"/>, … and each
/// projection's). Events are partitioned by day, jobs are claimed with <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>Advisory lock key that serializes migrations across processes.</summary>
    internal const long MigrationLock = 0x43_41_49_52_4E_01;

    private readonly NpgsqlDataSource _dataSource;
    private readonly StorageOptions _options;
    private readonly ConcurrentDictionary<DateOnly, bool> _partitions = new();

    public PostgresDatabase(IOptions<StorageOptions> options)
    {
        _options = options.Value;
        var builder = new NpgsqlConnectionStringBuilder(_options.Store);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "cairn";
        }
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>A connection string with the password removed, safe to log.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public NpgsqlDataSource DataSource => _dataSource;

    public StorageOptions Options => _options;

    /// <summary>Runs work in one transaction, turning database failures into <see cref="StoreUnavailableException"/>.</summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
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

    /// <summary>Creates the daily partitions of <c>events</c> that do not exist yet (idempotent, safe across processes).</summary>
    public async Task EnsurePartitionsAsync(IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        foreach (var day in days.Distinct())
        {
            if (_partitions.ContainsKey(day))
            {
                continue;
            }
            var name = $"events_{day:yyyyMMdd}";
            var from = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            // Two processes creating the same partition would race on the catalog: serialize per day.
            await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock(4341, {day.DayNumber});", cancellationToken);
            await ExecuteAsync(connection, tx,
                $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF events FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00');",
                cancellationToken);
            await tx.CommitAsync(cancellationToken);
            _partitions[day] = true;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
