using Cairn.Hosting;
using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>Embedded SQLite stores, one file in a temp directory per store.</summary>
internal sealed class SqliteStoreMaker : StoreMaker
{
    private readonly TempDirectory _root = new();
    private int _stores;

    public override Task<Stores> CreateAsync(Action<StorageOptions>? configure)
    {
        var options = new StorageOptions { DataDirectory = _root.Combine($"store-{++_stores}") };
        configure?.Invoke(options);
        return Task.FromResult(CairnConfiguration.CreateStore(options));
    }

    public override Task CleanUpAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}
