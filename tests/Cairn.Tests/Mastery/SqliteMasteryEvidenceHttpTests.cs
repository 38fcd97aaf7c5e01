using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>The <see cref="MasteryEvidenceHttpTests"/> facts on the embedded SQLite store.</summary>
public sealed class SqliteMasteryEvidenceHttpTests : MasteryEvidenceHttpTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}
