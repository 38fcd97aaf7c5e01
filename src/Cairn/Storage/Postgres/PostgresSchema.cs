using System.Globalization;
using Cairn.Projections;
using Npgsql;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>
/// The core migrations (<see cref="PostgresMigrations"/>), then each projection's own, each versioned on its own; all in
/// one transaction under an advisory lock, so processes starting together migrate once.
/// </summary>
internal sealed class PostgresSchema(PostgresDatabase db, IReadOnlyList<IProjectionStore> projections) : IStoreSchema
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({PostgresDatabase.MigrationLock});", cancellationToken);
        await ExecuteAsync(connection, tx, """
            CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS projection_migrations (
                projection text NOT NULL, version integer NOT NULL, applied_at timestamptz NOT NULL, PRIMARY KEY (projection, version));
            """, cancellationToken);
        var current = await VersionAsync(connection, tx, null, cancellationToken);
        foreach (var (number, sql) in PostgresMigrations.All.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, tx, sql, cancellationToken);
            await using var record = Command(connection, tx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now());", number);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var projection in projections)
        {
            var applied = await VersionAsync(connection, tx, projection.Projection, cancellationToken);
            foreach (var (number, sql) in projection.Migrations.Where(m => m.Version > applied))
            {
                await ExecuteAsync(connection, tx, sql, cancellationToken);
                await using var record = Command(connection, tx,
                    "INSERT INTO projection_migrations (projection, version, applied_at) VALUES ($1, $2, now());", projection.Projection, number);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await tx.CommitAsync(cancellationToken);
        // Partitions for the coming days exist before anyone writes, so ingest rarely creates one.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await db.EnsurePartitionsAsync(Enumerable.Range(-1, 9).Select(d => today.AddDays(d)), cancellationToken);
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) END;", connection))
            {
                if (Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) < PostgresMigrations.Latest)
                {
                    return false;
                }
            }
            foreach (var projection in projections.Where(p => p.Migrations.Count > 0))
            {
                if (await VersionAsync(connection, null, projection.Projection, cancellationToken) < projection.Migrations[^1].Version)
                {
                    return false;
                }
            }
            return true;
        }
        catch (Exception ex) when (IsStoreError(ex))
        {
            return false;
        }
    }

    private static async Task<int> VersionAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string? projection, CancellationToken cancellationToken)
    {
        await using var command = projection is null
            ? Command(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;")
            : Command(connection, tx, """
                SELECT CASE WHEN to_regclass('projection_migrations') IS NULL THEN 0
                            ELSE (SELECT COALESCE(MAX(version), 0) FROM projection_migrations WHERE projection = $1) END;
                """, projection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
