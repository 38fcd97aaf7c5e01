using Cairn.Tests.Support;

namespace Cairn.Tests.Progress;

/// <summary>The <see cref="ProgressHttpTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresProgressHttpTests(PostgresServer postgres) : ProgressHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
