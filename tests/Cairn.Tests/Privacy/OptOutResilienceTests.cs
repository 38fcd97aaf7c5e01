using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

/// <summary>
/// Issue 7, critical: one opt-out stopped the server within the opt-out sync period, and every restart failed. A subclass
/// per store says how to start the server.
/// </summary>
public abstract class OptOutResilienceTests
{
    private const string OptedOut = "kid@alpha.test";
    private const string Other = "friend@alpha.test";
    private const string NewPepper = "rotated-pepper-v2-0123456789-abcdef";

    private static readonly Dictionary<string, string?> FastSync = new() { ["Access:OptOutRefreshSeconds"] = "1" };

    private static readonly Dictionary<string, string?> Rotated = new()
    {
        ["Identity:Pepper"] = NewPepper,
        ["Identity:PepperVersion"] = "2",
        ["Identity:PreviousPeppers:0:Version"] = "1",
        ["Identity:PreviousPeppers:0:Pepper"] = TestServer.Pepper,
    };

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null);

    private static async Task OptOutAsync(TestServer server, string player)
    {
        var body = JsonSerializer.Serialize(new { org = TestServer.Org, playerId = player, consent = "opted-out" });
        using var response = await server.SendAsync(HttpMethod.Put, "/v1/players/consent", TestServer.AdminToken, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> ReadyAsync(TestServer server, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await server.Http.GetAsync("/health/ready");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"/health/ready: {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    /// <summary>Sends one event of each player; asserts the server stored the other's and not the opted-out player's.</summary>
    private static async Task AssertStillDroppingAsync(TestServer server)
    {
        var before = server.Sql.Scalar("SELECT COUNT(*) FROM events");
        using var answer = await server.IngestAsync(Events.Array(Events.Canonical(Events.NewId(), OptedOut), Events.Canonical(Events.NewId(), Other)));

        Assert.Equal(2, answer.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(before + 1, server.Sql.Scalar("SELECT COUNT(*) FROM events"));
        Assert.Equal(0, server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE player_key IN (SELECT player_key FROM players WHERE raw_id = '{OptedOut}')"));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    [SkippableFact]
    public async Task Issue_7_a_server_with_opted_out_players_keeps_running_past_the_opt_out_sync_period()
    {
        await using var server = await StartServerAsync(FastSync);
        await OptOutAsync(server, OptedOut);
        await OptOutAsync(server, "second.kid@alpha.test");

        // Three sync periods: the old code failed the first refresh and the host stopped.
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        using (var live = await server.Http.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        var ready = await ReadyAsync(server);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var sync = ready.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "opt-out-sync");
        Assert.Equal("ok", sync.GetProperty("status").GetString());
        Assert.Equal(0, sync.GetProperty("failures").GetInt64());
        await AssertStillDroppingAsync(server);
    }

    [SkippableFact]
    public async Task Issue_7_a_server_starts_on_a_store_holding_opted_out_players_and_mid_rotation()
    {
        await using var server = await StartServerAsync(FastSync);
        await OptOutAsync(server, OptedOut);

        await server.RestartAsync();

        await AssertStillDroppingAsync(server);

        // Mid-rotation: the stored key is the old pepper's; the list holds it and the current one.
        await server.RestartAsync(Rotated);

        Assert.Equal("ready", (await ReadyAsync(server)).GetProperty("status").GetString());
        await AssertStillDroppingAsync(server);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await AssertStillDroppingAsync(server);
    }

    [SkippableFact]
    public async Task Issue_7_a_failing_background_component_is_named_by_readiness_retried_and_recovers()
    {
        await using var server = await StartServerAsync(FastSync);
        await OptOutAsync(server, OptedOut);

        // A real failure of the sync's query: its table is gone for a while.
        server.Sql.Execute("ALTER TABLE players RENAME TO players_away");
        JsonElement degraded = default;
        await WaitForAsync(async () =>
        {
            degraded = await ReadyAsync(server);
            return degraded.GetProperty("status").GetString() == "degraded";
        }, TimeSpan.FromSeconds(15), "readiness to report the failing sync");

        // The consent categories' sync reads the directory's raw ids too (for a pepper rotation), so it fails with it.
        Assert.Equal(["consent-category-sync", "opt-out-sync"], degraded.GetProperty("failing").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal));
        var sync = degraded.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "opt-out-sync");
        Assert.Equal("failing", sync.GetProperty("status").GetString());
        Assert.True(sync.GetProperty("failures").GetInt64() >= 1);
        Assert.DoesNotContain(OptedOut, degraded.GetRawText(), StringComparison.Ordinal);

        server.Sql.Execute("ALTER TABLE players_away RENAME TO players");
        await WaitForAsync(async () => (await ReadyAsync(server)).GetProperty("status").GetString() == "ready",
            TimeSpan.FromSeconds(15), "readiness to recover");
        await AssertStillDroppingAsync(server);
    }
}
