using Cairn.Hosting;
using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>
/// The store compliance facts on PostgreSQL, one fresh database per store. The store is made the way the server
/// makes it (<see cref="CairnConfiguration.CreateStore"/> with the connection string as <c>Storage:Store</c>), so
/// these facts fail, rather than skip, while that cannot make a PostgreSQL store yet.
/// </summary>
public sealed class PostgresStoreCompliance(PostgresServer server) : StoreCompliance, IClassFixture<PostgresServer>
{
    private readonly TempDirectory _root = new();
    private readonly List<PostgresDatabase> _databases = [];

    private protected override async Task<Stores> CreateStoreAsync(Action<StorageOptions>? configure = null)
    {
        var database = await server.CreateDatabaseAsync();
        _databases.Add(database);
        try
        {
            var options = new StorageOptions { Store = database.ConnectionString, DataDirectory = _root.Path };
            configure?.Invoke(options);
            return CairnConfiguration.CreateStore(options);
        }
        catch (InvalidOperationException ex)
        {
            Assert.Fail($"PostgreSQL store not implemented: CairnConfiguration.CreateStore refused an Npgsql connection string ({ex.Message})");
            throw;
        }
    }

    protected override async Task CleanUpAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
        _databases.Clear();
        _root.Dispose();
    }
}
