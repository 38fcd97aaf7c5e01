using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

/// <summary>The <see cref="RosterAndScopeTests"/> facts on PostgreSQL, a fresh database per server, dropped with it.</summary>
public sealed class PostgresRosterAndScopeTests(PostgresServer postgres) : RosterAndScopeTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
