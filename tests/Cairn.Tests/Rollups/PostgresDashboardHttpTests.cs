using Cairn.Tests.Support;

namespace Cairn.Tests.Rollups;

/// <summary>The <see cref="DashboardHttpTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresDashboardHttpTests(PostgresServer postgres) : DashboardHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
