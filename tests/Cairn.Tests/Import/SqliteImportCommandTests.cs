namespace Cairn.Tests.Import;

/// <summary>The <see cref="ImportCommandTests"/> facts on the SQLite file in the import's data directory.</summary>
public sealed class SqliteImportCommandTests : ImportCommandTests
{
    private protected override Task<string?> CreateStoreAsync() => Task.FromResult<string?>(null);
}
