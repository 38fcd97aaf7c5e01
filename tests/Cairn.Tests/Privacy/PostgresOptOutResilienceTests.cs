using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

/// <summary>The <see cref="OptOutResilienceTests"/> facts on PostgreSQL, a fresh database per server.</summary>
public sealed class PostgresOptOutResilienceTests(PostgresServer postgres) : OptOutResilienceTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null) =>
        TestServer.StartAsync(postgres, overrides);
}
