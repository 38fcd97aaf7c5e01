using Cairn.Tests.Support;

namespace Cairn.Tests.Rollups;

/// <summary>The <see cref="RollupTriggerTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteRollupTriggerTests : RollupTriggerTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}
