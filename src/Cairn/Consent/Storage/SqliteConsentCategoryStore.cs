using System.Data.Common;
using Cairn.Projections;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Consent.Storage;

/// <summary>The per-category consent choices on SQLite.</summary>
internal sealed class SqliteConsentCategoryStore(SqliteDatabase db) : IConsentCategoryStore, IProjectionStore
{
    public string Projection => ConsentCategoryProjection.Name;

    public IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE consent_categories (org_id TEXT NOT NULL, player_key TEXT NOT NULL, category TEXT NOT NULL, granted INTEGER NOT NULL,
                                             updated_at INTEGER NOT NULL, PRIMARY KEY (org_id, player_key, category));
            CREATE INDEX consent_categories_by_player ON consent_categories (player_key);
            """),
    ];

    public IReadOnlyList<PlayerKeyTable> PlayerTables => ConsentCategoryProjection.PlayerTables;

    public Task WriteAsync(DbTransaction transaction, JobLease job, object? result, DateTimeOffset now, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetAsync(string orgId, string playerKey, IReadOnlyDictionary<string, bool> choices, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            foreach (var (category, granted) in choices)
            {
                using var command = Command(connection, tx, """
                    INSERT INTO consent_categories (org_id, player_key, category, granted, updated_at) VALUES ($org, $pk, $cat, $granted, $now)
                    ON CONFLICT (org_id, player_key, category) DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at;
                    """, ("$org", orgId), ("$pk", playerKey), ("$cat", category), ("$granted", granted ? 1 : 0), ("$now", TimeCodec.ToMicros(now)));
                command.ExecuteNonQuery();
            }
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, bool>> GetAsync(string orgId, string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT category, granted FROM consent_categories WHERE org_id = $org AND player_key = $pk ORDER BY category;",
            ("$org", orgId), ("$pk", playerKey));
        var choices = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            choices[reader.GetString(0)] = reader.GetInt64(1) != 0;
        }
        return choices;
    }

    public async Task<IReadOnlyList<DeclinedCategory>> ListDeclinedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT c.player_key, c.category, c.org_id, p.raw_id FROM consent_categories c LEFT JOIN players p ON p.player_key = c.player_key WHERE c.granted = 0;");
        var rows = new List<DeclinedCategory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DeclinedCategory(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return rows;
    }
}
