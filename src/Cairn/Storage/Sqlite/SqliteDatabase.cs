using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// The embedded database: one SQLite file in WAL mode, shared by the stores of every concern (<see cref="SqliteEventLog"/>,
/// <see cref="SqliteJobQueue"/>, … and each projection's). Writes go through one long-lived connection (the single
/// writer, taken in turn with <see cref="InWriteTransactionAsync{T}(Func{SqliteConnection, SqliteTransaction, T}, CancellationToken)"/>);
/// reads use pooled connections (<see cref="OpenAsync"/>) and never block it.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly StorageOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private IDisposable? _writerState;

    public SqliteDatabase(IOptions<StorageOptions> options)
    {
        _options = options.Value;
        Directory.CreateDirectory(_options.DataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(_options.SqlitePath),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath => Path.GetFullPath(_options.SqlitePath);

    public StorageOptions Options => _options;

    /// <summary>Players whose directory row is known to exist (saves the writer an insert per event); erasure forgets one.</summary>
    public HashSet<string> KnownPlayers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Tuning of the writer connection (durability is the synchronous pragma's alone). Every batch touches the
    /// (player_key, ts) index at random places: a 64 MiB page cache keeps it in memory instead of the default 2 MiB,
    /// and checkpointing every 10,000 WAL pages instead of 1,000 copies a page that many commits changed back into
    /// the file once rather than after nearly every commit. The WAL file may grow to about 40 MiB.
    /// </summary>
    internal const string WriterTuning = "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;";

    /// <summary>
    /// Runs a write on the single writer connection, in one transaction; <paramref name="afterCommit"/> runs once it has
    /// committed, still holding the writer (for in-memory state that must only follow durable rows).
    /// </summary>
    public async Task<T> InWriteTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken, Action<T>? afterCommit = null)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var writer = Writer();
            using var tx = writer.BeginTransaction();
            var result = work(writer, tx);
            tx.Commit();
            afterCommit?.Invoke(result);
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

    /// <summary><see cref="InWriteTransactionAsync{T}(Func{SqliteConnection, SqliteTransaction, T}, CancellationToken, Action{T})"/> for work that awaits (a projection's writer).</summary>
    public async Task<T> InWriteTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var writer = Writer();
            using var tx = writer.BeginTransaction();
            var result = await work(writer, tx);
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

    /// <summary>Runs work on the writer connection outside a transaction (a checkpoint).</summary>
    public async Task<T> WithWriterAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return work(Writer());
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

    /// <summary>
    /// State kept with the writer connection (prepared statements), made on first use and dropped with the connection.
    /// Only for callers inside a write transaction.
    /// </summary>
    public T WriterState<T>(Func<SqliteConnection, T> create) where T : class, IDisposable
    {
        var writer = Writer();
        if (_writerState is T state)
        {
            return state;
        }
        _writerState?.Dispose();
        var created = create(writer);
        _writerState = created;
        return created;
    }

    private SqliteConnection Writer()
    {
        if (_writer is not null)
        {
            return _writer;
        }
        var writer = new SqliteConnection(_connectionString);
        writer.Open();
        using (var pragma = writer.CreateCommand())
        {
            // secure_delete: an erased player's bytes are overwritten, not left in free pages.
            pragma.CommandText = $"PRAGMA synchronous={SynchronousMode()}; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON; {WriterTuning}";
            pragma.ExecuteNonQuery();
        }
        _writer = writer;
        return writer;
    }

    /// <summary>The writer connection may be in an unknown state after an error: drop it so the next write starts clean.</summary>
    private StoreUnavailableException WriterFailed(SqliteException ex)
    {
        _writerState?.Dispose();
        _writerState = null;
        _writer?.Dispose();
        _writer = null;
        return new StoreUnavailableException($"SQLite write failed: {ex.Message}", ex);
    }

    /// <summary>A pooled read connection.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous={SynchronousMode()}; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public string SynchronousMode() => _options.Synchronous.ToUpperInvariant() switch
    {
        "FULL" => "FULL",
        "NORMAL" => "NORMAL",
        "EXTRA" => "EXTRA",
        "OFF" => "OFF",
        var other => throw new InvalidOperationException($"Storage:Synchronous must be FULL, NORMAL, EXTRA or OFF, not '{other}'."),
    };

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            _writerState?.Dispose();
            _writerState = null;
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }
        }
        finally
        {
            _writeLock.Release();
        }
        using var forPool = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(forPool);
    }
}
