using Cairn.Tests.Support;

namespace Cairn.Tests.Schemas;

/// <summary>The <see cref="SchemaIngestTests"/> facts on PostgreSQL, a fresh database per server.</summary>
public sealed class PostgresSchemaIngestTests(PostgresServer postgres) : SchemaIngestTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(postgres);
}
