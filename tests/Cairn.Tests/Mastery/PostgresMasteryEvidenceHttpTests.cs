using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>The <see cref="MasteryEvidenceHttpTests"/> facts on PostgreSQL, a fresh database per server.</summary>
public sealed class PostgresMasteryEvidenceHttpTests(PostgresServer postgres) : MasteryEvidenceHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
