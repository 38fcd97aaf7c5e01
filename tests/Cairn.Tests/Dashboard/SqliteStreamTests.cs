using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

/// <summary>The <see cref="StreamTests"/> facts on the embedded SQLite store, a file in the server's temp data directory.</summary>
public sealed class SqliteStreamTests : StreamTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);
}
