using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

/// <summary>The <see cref="OptOutResilienceTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteOptOutResilienceTests : OptOutResilienceTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null) =>
        TestServer.StartAsync(overrides);
}
