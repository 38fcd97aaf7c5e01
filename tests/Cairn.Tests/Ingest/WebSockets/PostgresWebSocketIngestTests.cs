using Cairn.Tests.Support;

namespace Cairn.Tests.Ingest.WebSockets;

/// <summary>The <see cref="WebSocketIngestTests"/> facts on PostgreSQL, a fresh database per server.</summary>
public sealed class PostgresWebSocketIngestTests(PostgresServer postgres) : WebSocketIngestTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null) =>
        TestServer.StartAsync(postgres, overrides);
}
