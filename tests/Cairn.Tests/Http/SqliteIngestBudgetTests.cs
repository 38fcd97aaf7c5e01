using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>The <see cref="IngestBudgetTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteIngestBudgetTests : IngestBudgetTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(overrides);
}
