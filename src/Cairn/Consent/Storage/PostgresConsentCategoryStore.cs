using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Npgsql;

namespace Cairn.Consent.Storage;

/// <summary>The per-category consent choices on PostgreSQL.</summary>
internal sealed class PostgresConsentCategoryStore(PostgresDatabase db) : IConsentCategoryStore, IProjectionStore
{
    public string Projection => ConsentCategoryProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE consent_categories (org_id text NOT NULL, player_key text NOT NULL, category text NOT NULL, granted boolean NOT NULL,
                                             updated_at timestamptz NOT NULL, PRIMARY KEY (org_id, player_key, category));
            CREATE INDEX consent_categories_by_player ON consent_categories (player_key);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => ConsentCategoryProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task SetAsync(string orgId, string playerKey, IReadOnlyDictionary<string, bool> choices, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (category, granted) in choices)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO consent_categories (org_id, player_key, category, granted, updated_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (org_id, player_key, category) DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at;
                """, connection, tx);
            command.Parameters.AddWithValue(orgId);
            command.Parameters.AddWithValue(playerKey);
            command.Parameters.AddWithValue(category);
            command.Parameters.AddWithValue(granted);
            command.Parameters.AddWithValue(now.UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, bool>> GetAsync(string orgId, string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT category, granted FROM consent_categories WHERE org_id = $1 AND player_key = $2;", connection);
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(playerKey);
        var choices = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            choices[reader.GetString(0)] = reader.GetBoolean(1);
        }
        return choices;
    }

    public async Task<IReadOnlyList<DeclinedCategory>> ListDeclinedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT c.player_key, c.category, c.org_id, p.raw_id FROM consent_categories c LEFT JOIN players p ON p.player_key = c.player_key WHERE NOT c.granted;", connection);
        var rows = new List<DeclinedCategory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DeclinedCategory(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return rows;
    }
}
