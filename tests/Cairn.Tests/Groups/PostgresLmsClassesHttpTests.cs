using Cairn.Tests.Support;

namespace Cairn.Tests.Groups;

/// <summary>The <see cref="LmsClassesHttpTests"/> facts on PostgreSQL, a fresh database per server.</summary>
public sealed class PostgresLmsClassesHttpTests(PostgresServer postgres) : LmsClassesHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null) =>
        TestServer.StartAsync(postgres, overrides);
}
