using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>The <see cref="IngestBudgetTests"/> facts on PostgreSQL, a fresh database per server.</summary>
public sealed class PostgresIngestBudgetTests(PostgresServer postgres) : IngestBudgetTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(postgres, overrides);
}
