using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>The <see cref="IngestTests"/> facts on the embedded SQLite store, a file in the server's temp data directory.</summary>
public sealed class SqliteIngestTests : IngestTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);
}
