using Cairn.Storage;

namespace Cairn.Tests.Storage;

/// <summary>
/// How a compliance class gets its stores: the one thing a Sqlite* or Postgres* subclass of <see cref="StoreFacts"/>
/// says. Stores are made the way the server makes them (<see cref="Hosting.CairnConfiguration.CreateStore"/>).
/// </summary>
internal abstract class StoreMaker
{
    /// <summary>A new, empty store that is not migrated yet, with its options changed by <paramref name="configure"/>.</summary>
    public abstract Task<Stores> CreateAsync(Action<StorageOptions>? configure);

    /// <summary>Releases what <see cref="CreateAsync"/> made (directories, databases), after its stores are disposed; may run twice.</summary>
    public abstract Task CleanUpAsync();
}
