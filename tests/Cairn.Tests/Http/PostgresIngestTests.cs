using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>The <see cref="IngestTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresIngestTests(PostgresServer postgres) : IngestTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
