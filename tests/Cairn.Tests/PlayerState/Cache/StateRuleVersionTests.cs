using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.PlayerState.Cache;

/// <summary>
/// State rows carry the version of the rules they were computed with: a catalog reload that changes a game's state rules
/// recomputes the stored rows without any new event (PlayerStateStaleRows through the CatalogRecomputer).
/// </summary>
public abstract class StateRuleVersionTests
{
    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides);

    private static async Task<double> CoinsAsync(TestServer server, string key)
    {
        using var response = await server.GetAsAdminAsync($"/v1/players/{key}/state?game={CacheGame.Game}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("counters").TryGetProperty("coins", out var coins) ? coins.GetDouble() : 0;
    }

    private static async Task CoinsBecomeAsync(TestServer server, string key, double expected)
    {
        var clock = Stopwatch.StartNew();
        double coins;
        while ((coins = await CoinsAsync(server, key)) != expected)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"coins stayed {coins}, expected {expected}");
            await Task.Delay(25);
        }
    }

    [SkippableFact]
    public async Task Issue_13_state_rows_recompute_when_the_catalogs_state_rules_change()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "20" });
        var ingest = await server.CreateIngestKeyAsync(TestServer.Org, CacheGame.Game);
        using (var sent = await server.PostEventsAsync(Events.Array([CacheGame.Coin("ruled@school.example", 1, 2), CacheGame.Coin("ruled@school.example", 2, 3)]), ingest))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }
        var key = await server.PlayerKeyAsync("ruled@school.example");
        await CoinsBecomeAsync(server, key, 5);
        Assert.Equal(5, await CoinsAsync(server, key));  // cached now

        // Every coin event now counts 10, whatever its count: no new event, only the rules change.
        await File.WriteAllTextAsync(Path.Combine(server.CatalogsDirectory, "cache-game.yaml"),
            CacheGame.Catalog.Replace("amount: { field: count }", "amount: 10", StringComparison.Ordinal));
        using (var reload = await server.SendAsync(HttpMethod.Post, "/v1/admin/catalogs/reload", TestServer.AdminToken, null))
        {
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        }

        await CoinsBecomeAsync(server, key, 20);
        Assert.Equal(1, server.Sql.Scalar($"SELECT COUNT(*) FROM player_state WHERE game = '{CacheGame.Game}' AND rule_version LIKE 'rules:%'"));
    }
}

public sealed class SqliteStateRuleVersionTests : StateRuleVersionTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(overrides, CacheGame.Catalogs);
}

public sealed class PostgresStateRuleVersionTests(PostgresServer postgres) : StateRuleVersionTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(postgres, overrides, CacheGame.Catalogs);
}
