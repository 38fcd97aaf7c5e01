using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

/// <summary>The <see cref="MatrixApiTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresMatrixApiTests(PostgresServer postgres) : MatrixApiTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
