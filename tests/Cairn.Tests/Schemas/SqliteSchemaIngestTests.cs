using Cairn.Tests.Support;

namespace Cairn.Tests.Schemas;

/// <summary>The <see cref="SchemaIngestTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteSchemaIngestTests : SchemaIngestTests
{
    private protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync();
}
