using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cairn.Storage.Postgres;

/// <summary>
/// The scale-out store: one PostgreSQL database shared by any number of <c>cairn serve</c> and
/// <c>cairn worker</c> processes. Events are partitioned by day, jobs are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, and progress changes are announced with <c>NOTIFY</c>.
/// </summary>
internal sealed partial class PostgresStore : IEventStore
{
    /// <summary>The channel on which committed progress changes are announced (payload: the change sequence).</summary>
    public const string ProgressChannel = "cairn_progress";

    // Advisory lock keys: one serializes migrations across processes, one orders progress changes.
    private const long MigrationLock = 0x43_41_49_52_4E_01;
    private const long ChangeLogLock = 0x43_41_49_52_4E_02;

    private readonly NpgsqlDataSource _dataSource;
    private readonly StorageOptions _options;
    private readonly ConcurrentDictionary<DateOnly, bool> _partitions = new();

    public PostgresStore(IOptions<StorageOptions> options)
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

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken);
        await ExecuteAsync(connection, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);", cancellationToken);
        int current;
        await using (var version = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;", connection, tx))
        {
            current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        foreach (var (number, sql) in PostgresMigrations.All)
        {
            if (number <= current)
            {
                continue;
            }
            await ExecuteAsync(connection, tx, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now());", connection, tx);
            record.Parameters.AddWithValue(number);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        // Partitions for the coming days exist before anyone writes, so ingest rarely creates one.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await EnsurePartitionsAsync(Enumerable.Range(-1, 9).Select(d => today.AddDays(d)), cancellationToken);
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) END;", connection);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) >= PostgresMigrations.Latest;
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Creates the daily partitions of <c>events</c> that do not exist yet (idempotent, safe across processes).</summary>
    private async Task EnsurePartitionsAsync(IEnumerable<DateOnly> days, CancellationToken cancellationToken)
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static StoreUnavailableException Unavailable(Exception ex) => new($"PostgreSQL write failed: {ex.Message}", ex);

    private static bool IsStoreError(Exception ex) => ex is NpgsqlException or PostgresException or TimeoutException;

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
