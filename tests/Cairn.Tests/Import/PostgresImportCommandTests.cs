using Cairn.Tests.Support;

namespace Cairn.Tests.Import;

/// <summary>The <see cref="ImportCommandTests"/> facts on PostgreSQL (<c>cairn import --store</c>), a fresh database per test.</summary>
public sealed class PostgresImportCommandTests(PostgresServer postgres) : ImportCommandTests, IClassFixture<PostgresServer>
{
    private PostgresDatabase? _database;

    private protected override async Task<string?> CreateStoreAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        return _database.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
