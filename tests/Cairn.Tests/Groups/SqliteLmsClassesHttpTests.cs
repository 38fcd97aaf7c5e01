using Cairn.Tests.Support;

namespace Cairn.Tests.Groups;

/// <summary>The <see cref="LmsClassesHttpTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteLmsClassesHttpTests : LmsClassesHttpTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null) => TestServer.StartAsync(overrides);
}
