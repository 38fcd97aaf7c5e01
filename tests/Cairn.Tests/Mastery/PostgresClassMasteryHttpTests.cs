using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>The <see cref="ClassMasteryHttpTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresClassMasteryHttpTests(PostgresServer postgres) : ClassMasteryHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
