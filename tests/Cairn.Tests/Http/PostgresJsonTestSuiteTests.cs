using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>The <see cref="JsonTestSuiteTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresJsonTestSuiteTests(PostgresServer postgres) : JsonTestSuiteTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) =>
        TestServer.StartAsync(postgres, overrides);
}
