using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

/// <summary>The <see cref="StreamTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresStreamTests(PostgresServer postgres) : StreamTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
