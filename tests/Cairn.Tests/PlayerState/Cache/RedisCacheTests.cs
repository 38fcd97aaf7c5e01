using System.Net;
using System.Text.Json;
using Cairn.Tests.Observability;
using Cairn.Tests.Support;
using StackExchange.Redis;

namespace Cairn.Tests.PlayerState.Cache;

/// <summary>
/// <c>Cache:Redis</c> with a real redis-server: hot state and active-player sets in Redis, Redis killed and restarted under
/// load (no wrong answer, no lost update), refilled from the store when lost, and reported by <c>/health/ready</c>.
/// </summary>
public abstract class RedisCacheTests : HotCacheHttpTests
{
    private protected override bool WithRedis => true;

    private protected override string Backend => "redis";

    private async Task<JsonElement> ReadyAsync(HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Server.Http.GetAsync("/health/ready");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string? DependencyStatus(JsonElement health, string name) =>
        health.GetProperty("dependencies").EnumerateArray().FirstOrDefault(d => d.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } d
            ? d.GetProperty("status").GetString()
            : null;

    private Task<JsonElement> ReadyWhenAsync(string redisStatus) =>
        PollAsync(() => ReadyAsync(), h => DependencyStatus(h, "redis") == redisStatus, $"redis {redisStatus} in /health/ready");

    [SkippableFact]
    public async Task Issue_13_redis_holds_the_hot_state_and_health_reports_store_and_redis()
    {
        const string player = "hot@school.example";
        await SendAsync(CacheGame.Coin(player, 1, count: 3));
        var key = await Server.PlayerKeyAsync(player);
        await ReadyWhenAsync("ok");
        await PollAsync(() => CoinsAsync(key), c => c == 3, "three coins");
        await CoinsAsync(key);

        var db = await Redis!.DatabaseAsync();
        var entry = (string?)await db.StringGetAsync($"cairn:hot:s:{key}:{CacheGame.Game}");
        var health = await ReadyAsync();

        Assert.NotNull(entry);
        Assert.Contains("\"coins\":3", entry, StringComparison.Ordinal);
        Assert.Equal("ready", health.GetProperty("status").GetString());
        Assert.Equal("ok", DependencyStatus(health, "store"));
        Assert.Equal("ok", DependencyStatus(health, "redis"));
    }

    [SkippableFact]
    public async Task Issue_13_redis_killed_and_restarted_under_load_gives_no_wrong_answer_and_loses_no_update()
    {
        await ReadyWhenAsync("ok");

        await ReadWhileWritingAsync("survivor@school.example", 40, async i =>
        {
            if (i == 12)
            {
                await Redis!.KillAsync();
                var down = await ReadyWhenAsync("unavailable");
                Assert.Equal("degraded", down.GetProperty("status").GetString());
                Assert.Contains("redis", down.GetProperty("failing").EnumerateArray().Select(f => f.GetString()));
            }
            else if (i == 26)
            {
                await Redis!.StartAgainAsync();
                await ReadyWhenAsync("ok");
            }
        });

        // Redis is in use again: the state was refilled from the store.
        var key = await Server.PlayerKeyAsync("survivor@school.example");
        var db = await Redis!.DatabaseAsync();
        var entry = await PollAsync(async () => (string?)await db.StringGetAsync($"cairn:hot:s:{key}:{CacheGame.Game}"), e => e is not null, "the state back in Redis");
        Assert.Contains("\"coins\":40", entry, StringComparison.Ordinal);
        Assert.Equal("ready", (await ReadyAsync()).GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Issue_13_active_player_sets_are_kept_in_redis_and_rebuilt_from_the_store_when_lost()
    {
        await ReadyWhenAsync("ok");
        await SendAsync(CacheGame.Coin("ana@school.example", 100), CacheGame.Coin("ben@school.example", 200));
        var ana = await Server.PlayerKeyAsync("ana@school.example");
        var ben = await Server.PlayerKeyAsync("ben@school.example");
        var set = $"cairn:active:{TestServer.Org}:{CacheGame.Game}";
        var db = await Redis!.DatabaseAsync();
        await PollAsync(async () => await db.SortedSetLengthAsync(set), n => n == 2, "two active players");
        var before = await db.SortedSetRangeByScoreWithScoresAsync(set);

        await Redis.KillAsync();
        await ReadyWhenAsync("unavailable");
        await Redis.StartAgainAsync();
        db = await Redis.DatabaseAsync();
        await PollAsync(async () => await db.SortedSetLengthAsync(set), n => n == 2, "the active players rebuilt");
        var after = await db.SortedSetRangeByScoreWithScoresAsync(set);

        Assert.Equal([ana, ben], before.Select(e => e.Element.ToString()));
        Assert.Equal(before.Select(e => e.Score), after.Select(e => e.Score));
        Assert.Equal(before.Select(e => e.Element.ToString()), after.Select(e => e.Element.ToString()));
        Assert.Equal((CacheGame.Coin("x", 200)["timestamp"]!.GetValue<string>()),
            DateTimeOffset.FromUnixTimeMilliseconds((long)after[1].Score).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task Issue_13_erasure_removes_the_players_redis_keys_and_active_set_membership()
    {
        await ReadyWhenAsync("ok");
        const string player = "gone@school.example";
        await SendAsync(CacheGame.Coin(player, 1, count: 2), CacheGame.Coin("stays@school.example", 2));
        var key = await Server.PlayerKeyAsync(player);
        await PollAsync(() => CoinsAsync(key), c => c == 2, "two coins");
        await CoinsAsync(key);
        var before = await Redis!.KeysMentioningAsync(key);

        using var erase = await Server.SendAsync(HttpMethod.Post, "/v1/players/erase", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, playerId = player }));
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        var after = await Redis.KeysMentioningAsync(key);
        var db = await Redis.DatabaseAsync();

        Assert.Contains($"cairn:hot:s:{key}:{CacheGame.Game}", before);
        Assert.Contains($"cairn:active:{TestServer.Org}:{CacheGame.Game}", before);
        Assert.Empty(after);
        Assert.Equal(1, await db.SortedSetLengthAsync($"cairn:active:{TestServer.Org}:{CacheGame.Game}"));  // the other player stays
    }
}

public sealed class SqliteRedisCacheTests : RedisCacheTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(overrides, CacheGame.Catalogs);

    [SkippableFact]
    public async Task Issue_13_an_offline_cairn_erase_removes_the_players_redis_keys_too()
    {
        const string player = "offline@school.example";
        await SendAsync(CacheGame.Coin(player, 1, count: 4));
        var key = await Server.PlayerKeyAsync(player);
        await PollAsync(() => CoinsAsync(key), c => c == 4, "four coins");
        await PollAsync(async () => (await Redis!.KeysMentioningAsync(key)).Count, n => n > 0, "the player's state in Redis");

        var result = await CairnCli.RunAsync(Server.Root.Path, new Dictionary<string, string> { ["CAIRN_Cache__Redis"] = Redis!.ConnectionString },
            "erase", "--data", Server.DataDirectory, "--org", TestServer.Org, "--player", player);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Empty(await Redis.KeysMentioningAsync(key));
        Assert.Empty((await GetAsync($"/v1/players/{key}/state?game={CacheGame.Game}")).GetProperty("counters").EnumerateObject());
    }
}

public sealed class PostgresRedisCacheTests(PostgresServer postgres) : RedisCacheTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(postgres, overrides, CacheGame.Catalogs);
}

/// <summary>A Redis that never answers (nothing listens on its port): reads come from the store, health says degraded.</summary>
public sealed class UnreachableRedisTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "20", ["Cache:Redis"] = $"127.0.0.1:{port}", ["Cache:RedisCheckSeconds"] = "0.2" },
            CacheGame.Catalogs);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Issue_13_an_unreachable_redis_degrades_to_store_reads_and_health_says_so()
    {
        var key = await _server.CreateIngestKeyAsync(TestServer.Org, CacheGame.Game);
        using (var sent = await _server.PostEventsAsync(Events.Array([CacheGame.Coin("lone@school.example", 1, count: 7)]), key))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }
        var player = await _server.PlayerKeyAsync("lone@school.example");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JsonElement state;
        do
        {
            using var response = await _server.GetAsAdminAsync($"/v1/players/{player}/state?game={CacheGame.Game}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            state = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), state.ToString());
        }
        while (!state.GetProperty("counters").TryGetProperty("coins", out _));
        using var ready = await _server.Http.GetAsync("/health/ready");
        var health = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        var scrape = await Scrape.TakeAsync(_server);

        Assert.Equal(7, state.GetProperty("counters").GetProperty("coins").GetDouble());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains(health.GetProperty("dependencies").EnumerateArray(), d => d.GetProperty("name").GetString() == "redis" && d.GetProperty("status").GetString() == "unavailable");
        Assert.Contains(health.GetProperty("dependencies").EnumerateArray(), d => d.GetProperty("name").GetString() == "store" && d.GetProperty("status").GetString() == "ok");
        Assert.True(scrape.Value("cairn_player_state_cache_lookups", "backend=\"redis\"", "outcome=\"bypass\"") > 0, scrape.Text);
    }
}
