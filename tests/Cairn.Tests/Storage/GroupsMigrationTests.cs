using Cairn.Hosting;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;
using Cairn.Tests.Support;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cairn.Tests.Storage;

/// <summary>
/// The migration that keys groups by (org, id) on a store holding groups of the old schema: every group keeps its
/// teachers and members (numbered into seats), and a second org can then take the same id.
/// </summary>
public sealed class GroupsMigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string OldGroups = """
        INSERT INTO groups (id, org_id, name, game, created_at) VALUES ('7a', 'org-a', 'Class 7A', 'mhs', {0}), ('8b', 'org-b', 'Class 8B', 'waves', {0});
        INSERT INTO group_teachers (group_id, teacher_id) VALUES ('7a', 't-1'), ('7a', 't-2'), ('8b', 't-9');
        INSERT INTO group_members (group_id, player_key) VALUES ('7a', 'pk-ben'), ('7a', 'pk-ada'), ('8b', 'pk-zed');
        INSERT INTO players (player_key, org_id, raw_id, first_seen, display_name) VALUES
            ('pk-ada', 'org-a', 'ada@a.example', {0}, 'Ada'), ('pk-ben', 'org-a', 'ben@a.example', {0}, 'Ben'), ('pk-zed', 'org-b', 'zed@b.example', {0}, 'Zed');
        """;

    [Fact]
    public async Task Issue_7_sqlite_migration_keys_existing_groups_by_org_and_keeps_their_teachers_and_members()
    {
        using var root = new TempDirectory();
        var options = new StorageOptions { DataDirectory = root.Path };
        var sql = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);\n"
            + string.Join('\n', SqliteMigrations.All.Where(m => m.Version <= 6).Select(m => m.Sql + $"\nINSERT INTO schema_migrations VALUES ({m.Version}, 0);"))
            + "\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, OldGroups, "0");
        Database.Execute(options.SqlitePath, sql);

        await using var store = Cairn.Hosting.CairnConfiguration.CreateStore(options);
        await store.Schema.MigrateAsync(CancellationToken.None);

        await AssertMigratedAsync(store);
    }

    [SkippableFact]
    public async Task Issue_7_postgres_migration_keys_existing_groups_by_org_and_keeps_their_teachers_and_members()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            var sql = "CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);\n"
                + string.Join('\n', PostgresMigrations.All.Where(m => m.Version <= 3).Select(m => m.Sql + $"\nINSERT INTO schema_migrations VALUES ({m.Version}, now());"))
                + "\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, OldGroups, "now()");
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var store = CairnConfiguration.CreateStore(new StorageOptions { Store = database.ConnectionString });
        await store.Schema.MigrateAsync(CancellationToken.None);

        await AssertMigratedAsync(store);
    }

    private static async Task AssertMigratedAsync(Stores store)
    {
        var none = CancellationToken.None;
        var a = await store.Groups.GetGroupAsync("org-a", "7a", none);
        var b = await store.Groups.GetGroupAsync("org-b", "8b", none);
        Assert.Equal(("Class 7A", "mhs"), (a!.Name, a.Game));
        Assert.Equal(["t-1", "t-2"], a.Teachers);
        Assert.Equal(["t-9"], b!.Teachers);
        Assert.Null(await store.Groups.GetGroupAsync("org-b", "7a", none));
        Assert.Equal([("pk-ada", 1), ("pk-ben", 2)], (await store.Groups.GetMembersAsync("org-a", "7a", none)).Select(m => (m.PlayerKey, m.Seat)));
        Assert.Equal(["pk-zed"], (await store.Groups.GetMembersAsync("org-b", "8b", none)).Select(m => m.PlayerKey));

        Assert.True(await store.Groups.UpsertGroupAsync(new GroupRecord("7a", "org-b", "Theirs", "mhs", ["t-9"]), none));
        Assert.Equal(["org-a", "org-b"], (await store.Groups.FindGroupsAsync("7a", none)).Select(g => g.OrgId).Order(StringComparer.Ordinal));
        Assert.Equal(["t-1", "t-2"], (await store.Groups.GetGroupAsync("org-a", "7a", none))!.Teachers);
    }
}
