using System.Globalization;
using Npgsql;

namespace Cairn.Tests.Support;

/// <summary>
/// Direct SQL on the store a <see cref="TestServer"/> runs on, to check what really was stored: the SQLite file
/// (through <see cref="Database"/>) or the PostgreSQL database. The two schemas share table and column names; times
/// differ (microseconds since the epoch on SQLite, timestamptz on PostgreSQL), so a literal time goes through
/// <see cref="Time"/>.
/// </summary>
internal sealed class StoreSql(string sqlitePath, string? postgresConnectionString)
{
    public bool IsPostgres => postgresConnectionString is not null;

    /// <summary>A SQL literal for the instant, as the store keeps times.</summary>
    public string Time(DateTimeOffset at) => IsPostgres
        ? $"'{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'::timestamptz"
        : Cairn.Storage.TimeCodec.ToMicros(at).ToString(CultureInfo.InvariantCulture);

    public long Scalar(string sql)
    {
        if (postgresConnectionString is null)
        {
            return Database.Scalar(sqlitePath, sql);
        }
        using var connection = OpenPostgres();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Holds a lock that makes the store's writer wait (on SQLite the database's write lock, on PostgreSQL a lock on
    /// <c>event_ids</c> that every event insert needs) until the returned handle is disposed.
    /// </summary>
    public IDisposable HoldWrites()
    {
        System.Data.Common.DbConnection connection = postgresConnectionString is null ? Database.Open(sqlitePath) : OpenPostgres();
        var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = postgresConnectionString is null
            // A write in the open transaction takes SQLite's write lock; the writer then waits on its busy timeout.
            ? "CREATE TABLE IF NOT EXISTS test_write_lock (x INTEGER); INSERT INTO test_write_lock VALUES (1);"
            : "LOCK TABLE event_ids IN SHARE ROW EXCLUSIVE MODE;";
        command.ExecuteNonQuery();
        return new Held(connection, transaction);
    }

    private sealed class Held(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction) : IDisposable
    {
        public void Dispose()
        {
            transaction.Rollback();
            transaction.Dispose();
            connection.Dispose();
        }
    }

    public void Execute(string sql)
    {
        if (postgresConnectionString is null)
        {
            Database.Execute(sqlitePath, sql);
            return;
        }
        using var connection = OpenPostgres();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public List<string> Column(string sql)
    {
        if (postgresConnectionString is null)
        {
            return Database.Column(sqlitePath, sql);
        }
        using var connection = OpenPostgres();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }
        return values;
    }

    /// <summary>
    /// Every non-null cell of every table, as the store's own text of it, with where it was found. On PostgreSQL the
    /// partitions of a partitioned table are read through their parent, so a cell is listed once.
    /// </summary>
    public List<(string Table, string Column, string Text)> AllCells()
    {
        if (postgresConnectionString is null)
        {
            return [.. Database.AllCells(sqlitePath)];
        }
        using var connection = OpenPostgres();
        var columns = new List<(string Table, string Column)>();
        using (var list = new NpgsqlCommand("""
            SELECT c.relname, a.attname
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY c.relname, a.attnum;
            """, connection))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        Assert.NotEmpty(columns);
        var cells = new List<(string Table, string Column, string Text)>();
        foreach (var (table, column) in columns)
        {
            using var select = new NpgsqlCommand($"SELECT \"{column}\"::text FROM \"{table}\" WHERE \"{column}\" IS NOT NULL;", connection);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                cells.Add((table, column, reader.GetString(0)));
            }
        }
        return cells;
    }

    private NpgsqlConnection OpenPostgres()
    {
        var connection = new NpgsqlConnection(postgresConnectionString);
        connection.Open();
        return connection;
    }
}
