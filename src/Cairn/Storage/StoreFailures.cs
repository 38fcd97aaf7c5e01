using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cairn.Storage;

/// <summary>
/// Tells a store that is down, full or unreachable (the client should retry later: 503) from a bug (500). Used by
/// the request pipeline, so every endpoint answers an outage the same way, whichever store call met it.
/// </summary>
internal static class StoreFailures
{
    // SQLite primary result codes that say the file or its disk cannot serve now, not that the SQL is wrong:
    // BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB.
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 7, 8, 10, 11, 13, 14, 15, 26];

    /// <summary>True when <paramref name="exception"/> (or one it wraps) says the store is unavailable.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case StoreUnavailableException:
                    return true;
                case PostgresException postgres when IsUnavailable(postgres.SqlState):
                    return true;
                case PostgresException:
                    return false;
                // Any other Npgsql error is about the connection: refused, reset, timed out, pool exhausted.
                case NpgsqlException:
                    return true;
                case SqliteException sqlite:
                    return SqliteUnavailable.Contains(sqlite.SqliteErrorCode & 0xFF);
            }
        }
        return false;
    }

    /// <summary>
    /// PostgreSQL conditions of the server, not of the statement: connection exceptions (08), insufficient resources
    /// such as disk full or too many connections (53), operator intervention such as admin or crash shutdown (57),
    /// system errors such as I/O (58), a read-only standby (25006), and the retryable serialization failure and deadlock.
    /// </summary>
    private static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57", StringComparison.Ordinal)
        || sqlState.StartsWith("58", StringComparison.Ordinal)
        || sqlState is "25006" or "40001" or "40P01" or "55P03";
}
