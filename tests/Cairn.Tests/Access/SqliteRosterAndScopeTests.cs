using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

/// <summary>The <see cref="RosterAndScopeTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteRosterAndScopeTests : RosterAndScopeTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);
}
