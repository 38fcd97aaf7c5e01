using Cairn.Projections;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Storage.Sqlite;

/// <summary>The core migrations (<see cref="SqliteMigrations"/>), then each projection's own, each versioned on its own.</summary>
internal sealed class SqliteSchema(SqliteDatabase db, IReadOnlyList<IProjectionStore> projections) : IStoreSchema
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        // WAL persists in the file; readers then never block the writer.
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS projection_migrations (
                projection TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (projection, version));
            """, cancellationToken);
        var current = await CurrentVersionAsync(connection, null, cancellationToken);
        foreach (var (version, sql) in SqliteMigrations.All.Where(m => m.Version > current))
        {
            await ApplyAsync(connection, sql, "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t);", null, version, cancellationToken);
        }
        foreach (var projection in projections)
        {
            var applied = await CurrentVersionAsync(connection, projection.Projection, cancellationToken);
            foreach (var (version, sql) in projection.Migrations.Where(m => m.Version > applied))
            {
                await ApplyAsync(connection, sql, "INSERT INTO projection_migrations (projection, version, applied_at) VALUES ($p, $v, $t);",
                    projection.Projection, version, cancellationToken);
            }
        }
    }

    private static async Task ApplyAsync(SqliteConnection connection, string sql, string record, string? projection, int version, CancellationToken cancellationToken)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using (var migrate = Command(connection, tx, sql))
        {
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }
        using (var recorded = Command(connection, tx, record, ("$p", projection), ("$v", version), ("$t", TimeCodec.ToMicros(DateTimeOffset.UtcNow))))
        {
            await recorded.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            if (await CurrentVersionAsync(connection, null, cancellationToken) < SqliteMigrations.Latest)
            {
                return false;
            }
            foreach (var projection in projections.Where(p => p.Migrations.Count > 0))
            {
                if (await CurrentVersionAsync(connection, projection.Projection, cancellationToken) < projection.Migrations[^1].Version)
                {
                    return false;
                }
            }
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>The newest core version applied (projection null), or the newest of one projection; 0 before any.</summary>
    private static async Task<int> CurrentVersionAsync(SqliteConnection connection, string? projection, CancellationToken cancellationToken)
    {
        var table = projection is null ? "schema_migrations" : "projection_migrations";
        using var exists = Command(connection, null, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=$t;", ("$t", table));
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            return 0;
        }
        using var command = projection is null
            ? Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;")
            : Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM projection_migrations WHERE projection = $p;", ("$p", projection));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
