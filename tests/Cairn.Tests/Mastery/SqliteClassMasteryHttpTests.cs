using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>The <see cref="ClassMasteryHttpTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteClassMasteryHttpTests : ClassMasteryHttpTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);
}
