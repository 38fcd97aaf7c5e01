using Cairn.Tests.Support;

namespace Cairn.Tests.Progress;

/// <summary>The <see cref="ProgressHttpTests"/> facts on the embedded SQLite store, a file in the server's temp data directory.</summary>
public sealed class SqliteProgressHttpTests : ProgressHttpTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);
}
