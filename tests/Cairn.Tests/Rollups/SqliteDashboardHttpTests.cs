using Cairn.Tests.Support;

namespace Cairn.Tests.Rollups;

/// <summary>The <see cref="DashboardHttpTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteDashboardHttpTests : DashboardHttpTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}
