using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Cairn.Tests.Support;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.Storage;

/// <summary>The store compliance facts on the embedded SQLite store, one file in a temp directory per store.</summary>
public sealed class SqliteStoreCompliance : StoreCompliance
{
    private readonly TempDirectory _root = new();
    private int _stores;

    private protected override Task<Stores> CreateStoreAsync(Action<StorageOptions>? configure = null)
    {
        var options = new StorageOptions { DataDirectory = _root.Combine($"store-{++_stores}") };
        configure?.Invoke(options);
        return Task.FromResult(Cairn.Hosting.CairnConfiguration.CreateStore(options));
    }

    protected override Task CleanUpAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}
