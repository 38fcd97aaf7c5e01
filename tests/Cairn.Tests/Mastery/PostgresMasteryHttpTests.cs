using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>The <see cref="MasteryHttpTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresMasteryHttpTests(PostgresServer postgres) : MasteryHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
