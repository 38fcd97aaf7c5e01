using Cairn.Hosting;
using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>
/// PostgreSQL stores, one fresh database of <paramref name="server"/> per store, with the connection string as
/// <c>Storage:Store</c>; so facts fail, rather than skip, while that cannot make a PostgreSQL store.
/// </summary>
internal sealed class PostgresStoreMaker(PostgresServer server) : StoreMaker
{
    private readonly TempDirectory _root = new();
    private readonly List<PostgresDatabase> _databases = [];

    public override async Task<Stores> CreateAsync(Action<StorageOptions>? configure)
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

    public override async Task CleanUpAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
        _databases.Clear();
        _root.Dispose();
    }
}
