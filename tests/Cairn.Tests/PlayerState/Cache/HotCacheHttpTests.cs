using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Observability;
using Cairn.Tests.Support;

namespace Cairn.Tests.PlayerState.Cache;

/// <summary>
/// The hot cache behind the state, inventory and visited reads of a real server: reads racing the jobs that rewrite a
/// player's state never go back to an older state and end on the last one; an erased player's cached state is gone. One
/// subclass per store with the in-process cache here, and with Redis in <see cref="RedisCacheTests"/>.
/// </summary>
public abstract class HotCacheHttpTests : IAsyncLifetime
{
    private protected TestServer Server { get; private set; } = null!;

    private protected string Key { get; private set; } = null!;

    private protected RedisServer? Redis { get; private set; }

    private protected abstract bool WithRedis { get; }

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides);

    private protected abstract string Backend { get; }

    public async Task InitializeAsync()
    {
        var overrides = new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "20", ["Cache:RedisCheckSeconds"] = "0.2" };
        if (WithRedis)
        {
            Redis = await RedisServer.StartAsync();
            overrides["Cache:Redis"] = Redis.ConnectionString;
        }
        Server = await StartServerAsync(overrides);
        Key = await Server.CreateIngestKeyAsync(TestServer.Org, CacheGame.Game);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    private protected async Task SendAsync(params JsonObject[] events)
    {
        using var response = await Server.PostEventsAsync(Events.Array(events), Key);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private protected async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Server.GetAsAdminAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private protected async Task<double> CoinsAsync(string playerKey) =>
        (await GetAsync($"/v1/players/{playerKey}/state?game={CacheGame.Game}")).GetProperty("counters") is var c && c.TryGetProperty("coins", out var coins) ? coins.GetDouble() : 0;

    private protected static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> until, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (until(value))
            {
                return value;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{what} never happened: last {value}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Reads the player's coins in a loop on several readers while <paramref name="writes"/> coin events go in one by one
    /// (<paramref name="during"/> runs after the given number of them); every reader's reads must never go down, and once
    /// the jobs are done every read gives the total.
    /// </summary>
    private protected async Task ReadWhileWritingAsync(string player, int writes, Func<int, Task>? during = null)
    {
        await SendAsync(CacheGame.Coin(player, 0));
        var key = await Server.PlayerKeyAsync(player);
        await PollAsync(() => CoinsAsync(key), c => c == 1, "the first coin");
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var seen = new List<double>();
            while (!stop.IsCancellationRequested)
            {
                seen.Add(await CoinsAsync(key));
            }
            return seen;
        })).ToList();

        for (var i = 1; i < writes; i++)
        {
            await SendAsync(CacheGame.Coin(player, i));
            await Task.Delay(30);
            if (during is not null)
            {
                await during(i);
            }
        }
        await PollAsync(() => CoinsAsync(key), c => c == writes, "all coins counted");
        await stop.CancelAsync();
        var seenByReader = await Task.WhenAll(readers);
        var after = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            after.Add(await CoinsAsync(key));
        }

        foreach (var seen in seenByReader)
        {
            Assert.True(seen.Count > 0);
            var back = seen.Zip(seen.Skip(1)).FirstOrDefault(p => p.Second < p.First);
            Assert.True(back == default, $"a reader saw {back.First} coins, then {back.Second}");
            Assert.All(seen, c => Assert.InRange(c, 1, writes));
        }
        Assert.All(after, c => Assert.Equal(writes, c));
    }

    [SkippableFact]
    public async Task Issue_13_reads_racing_state_writes_never_return_an_older_state_and_end_on_the_last()
    {
        await ReadWhileWritingAsync("racer@school.example", 25);

        var scrape = await Scrape.TakeAsync(Server);
        if (Backend == "none")
        {
            Assert.Equal(0, scrape.Value("cairn_player_state_cache_lookups"));
            return;
        }
        Assert.True(scrape.Value("cairn_player_state_cache_lookups", $"backend=\"{Backend}\"", "outcome=\"hit\"") > 0, scrape.Text);
        Assert.True(scrape.Value("cairn_player_state_cache_lookups", $"backend=\"{Backend}\"", "outcome=\"miss\"") > 0, scrape.Text);
    }

    [SkippableFact]
    public async Task Issue_13_inventory_and_visited_reads_after_a_new_item_show_it()
    {
        const string player = "collector@school.example";
        await SendAsync(CacheGame.Item(player, 1, "compass"));
        var key = await Server.PlayerKeyAsync(player);
        await PollAsync(async () => (await GetAsync($"/v1/players/{key}/state/inventory?game={CacheGame.Game}")).GetProperty("inventory").GetArrayLength(), n => n == 1, "the compass");
        for (var i = 0; i < 5; i++)
        {
            await GetAsync($"/v1/players/{key}/state/inventory?game={CacheGame.Game}");  // cached now
        }

        await SendAsync(CacheGame.Item(player, 2, "map"));
        var inventory = await PollAsync(
            async () => string.Join(",", (await GetAsync($"/v1/players/{key}/state/inventory?game={CacheGame.Game}")).GetProperty("inventory").EnumerateArray().Select(i => i.GetString())),
            s => s.Contains("map", StringComparison.Ordinal), "the map in the inventory");

        Assert.Equal("compass,map", inventory);
    }

    [SkippableFact]
    public async Task Issue_13_reads_after_erasure_return_nothing_cached_of_the_erased_player()
    {
        const string player = "erased@school.example";
        await SendAsync(CacheGame.Coin(player, 1, count: 5), CacheGame.Item(player, 2, "compass"));
        var key = await Server.PlayerKeyAsync(player);
        await PollAsync(() => CoinsAsync(key), c => c == 5, "five coins");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(5, await CoinsAsync(key));
            await GetAsync($"/v1/players/{key}/state/inventory?game={CacheGame.Game}");
        }

        using var erase = await Server.SendAsync(HttpMethod.Post, "/v1/players/erase", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, playerId = player }));
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        var state = await GetAsync($"/v1/players/{key}/state?game={CacheGame.Game}");
        var inventory = await GetAsync($"/v1/players/{key}/state/inventory?game={CacheGame.Game}");

        Assert.Empty(state.GetProperty("counters").EnumerateObject());
        Assert.Equal(0, inventory.GetProperty("inventory").GetArrayLength());
        if (Redis is not null)
        {
            Assert.Empty(await Redis.KeysMentioningAsync(key));
        }
    }
}

public sealed class SqliteHotCacheHttpTests : HotCacheHttpTests
{
    private protected override bool WithRedis => false;

    private protected override string Backend => "memory";

    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(overrides, CacheGame.Catalogs);
}

public sealed class PostgresHotCacheHttpTests(PostgresServer postgres) : HotCacheHttpTests, IClassFixture<PostgresServer>
{
    private protected override bool WithRedis => false;

    private protected override string Backend => "memory";

    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) => TestServer.StartAsync(postgres, overrides, CacheGame.Catalogs);
}

/// <summary><c>Cache:MaxEntries</c> 0 and no Redis: every read from the store, the same answers.</summary>
public sealed class SqliteNoCacheHttpTests : HotCacheHttpTests
{
    private protected override bool WithRedis => false;

    private protected override string Backend => "none";

    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides) =>
        TestServer.StartAsync(new Dictionary<string, string?>(overrides) { ["Cache:MaxEntries"] = "0" }, CacheGame.Catalogs);
}
