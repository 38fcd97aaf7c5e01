using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>The <see cref="PrivacyTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresPrivacyTests(PostgresServer postgres) : PrivacyTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
