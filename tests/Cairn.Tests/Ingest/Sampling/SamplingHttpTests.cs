using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Ingest.Sampling;
using Cairn.Tests.Ingest.WebSockets;
using Cairn.Tests.Support;

namespace Cairn.Tests.Ingest.Sampling;

/// <summary>Sampling at ingest over HTTP and the WebSocket, and its published rules; a subclass per store.</summary>
public abstract class SamplingHttpTests
{
    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string>? catalogs = null);

    private const string Catalog = $$"""
        game: {{TestServer.Game}}
        sampling:
          rules:
            - { eventType: client_tick, rate: 0.3 }
        points: []
        """;

    private static Dictionary<string, string> Catalogs => new() { ["game.yaml"] = Catalog };

    private static JsonObject Tick(string id, string player)
    {
        var e = Events.Canonical(id, player);
        e["eventType"] = "client_tick";
        return e;
    }

    [SkippableFact]
    public async Task Issue_14_sampled_out_events_are_answered_so_stored_nowhere_and_counted_and_the_same_players_stay_in()
    {
        await using var server = await StartServerAsync(Catalogs);
        var players = Enumerable.Range(0, 40).Select(i => $"sampled.{i}@example.com").ToList();
        var keys = new Dictionary<string, string>();
        foreach (var p in players)
        {
            keys[p] = await server.PlayerKeyAsync(p);
        }
        var ticks = players.Select((p, i) => Tick($"tick-{i}", p)).ToArray();
        var other = Events.Canonical("level-1", players[0]);
        var before = await Observability.Scrape.TakeAsync(server);

        using var response = await server.PostEventsAsync(Events.Array([.. ticks, other]));
        using var body = await TestServer.ReadJsonAsync(response);
        using var again = await TestServer.ReadJsonAsync(await server.PostEventsAsync(Events.Array(players.Select((p, i) => Tick($"tick-again-{i}", p)).ToArray())));
        var after = await Observability.Scrape.TakeAsync(server);
        using var stats = await TestServer.ReadJsonAsync(await server.GetAsAdminAsync("/v1/admin/stats"));

        var expectedOut = players.Where(p => !Sampler.Keep(keys[p], "client_tick", 0.3)).ToList();
        Assert.InRange(expectedOut.Count, 1, players.Count - 1);
        var results = body.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(players.Select(p => expectedOut.Contains(p) ? "sampled_out" : "accepted"), results.Take(players.Count).Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("accepted", results[^1].GetProperty("status").GetString());
        Assert.Equal(expectedOut.Count, body.RootElement.GetProperty("sampledOut").GetInt32());
        Assert.Equal(players.Count - expectedOut.Count + 1, body.RootElement.GetProperty("accepted").GetInt32());
        // Nothing of a sampled-out event is stored; the same players are out again.
        Assert.Equal(players.Count - expectedOut.Count, server.Sql.Scalar("SELECT COUNT(*) FROM events WHERE event_id LIKE 'tick-%' AND event_id NOT LIKE 'tick-again-%';"));
        Assert.Equal(expectedOut.Count, again.RootElement.GetProperty("sampledOut").GetInt32());
        Assert.Equal(2 * expectedOut.Count, after.Value("cairn_ingest_events_sampled_out", "event_type=\"client_tick\"") - before.Value("cairn_ingest_events_sampled_out", "event_type=\"client_tick\""));
        var figure = Assert.Single(stats.RootElement.GetProperty("sampledOutEvents").EnumerateArray());
        Assert.Equal(("client_tick", 2L * expectedOut.Count), (figure.GetProperty("eventType").GetString(), figure.GetProperty("events").GetInt64()));
    }

    [SkippableFact]
    public async Task Issue_14_the_websocket_samples_the_same_events_the_same_way()
    {
        await using var server = await StartServerAsync(Catalogs);
        var players = Enumerable.Range(0, 30).Select(i => $"ws.sampled.{i}@example.com").ToList();
        using var overHttp = await TestServer.ReadJsonAsync(await server.PostEventsAsync(Events.Array(players.Select((p, i) => Tick($"h-{i}", p)).ToArray())));
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey);
        await socket.ExpectAsync("ready");

        await socket.SendAsync(new { type = "analytics", seq = 1, clientGuid = "sampling", events = players.Select((p, i) => Tick($"w-{i}", p)).ToArray() });
        var ack = await socket.ExpectAsync("ack");

        Assert.Equal(overHttp.RootElement.GetProperty("sampledOut").GetInt32(), ack.GetProperty("sampledOut").GetInt32());
        Assert.Equal(overHttp.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()),
            ack.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
    }

    [SkippableFact]
    public async Task Issue_14_the_rules_are_published_for_sdks_with_the_function()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string>
        {
            ["game.yaml"] = Catalog.Replace("sampling:\n", "sampling:\n  preset: seeds\n", StringComparison.Ordinal),
        });
        var otherGameKey = await server.CreateIngestKeyAsync(TestServer.Org, "another-game");

        using var response = await server.SendAsync(HttpMethod.Get, $"/v1/config/sampling?game={TestServer.Game}", server.IngestKey, null);
        using var config = await TestServer.ReadJsonAsync(response);
        using var other = await server.SendAsync(HttpMethod.Get, $"/v1/config/sampling?game={TestServer.Game}", otherGameKey, null);
        using var anonymous = await server.SendAsync(HttpMethod.Get, $"/v1/config/sampling?game={TestServer.Game}", "", null);
        using var noGame = await server.SendAsync(HttpMethod.Get, "/v1/config/sampling", TestServer.AdminToken, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rules = config.RootElement.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(["client_tick", "page_view", "mouse_move", null, null], rules.Select(r => r.TryGetProperty("eventType", out var t) ? t.GetString() : null));
        Assert.Equal([0.3, 0.01, 0.01, 0.1, 0.1], rules.Select(r => r.GetProperty("rate").GetDouble()));
        Assert.Contains("client_tick", rules[4].GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("SHA-256", config.RootElement.GetProperty("function").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noGame.StatusCode);
    }
}

/// <summary>The <see cref="SamplingHttpTests"/> facts on SQLite.</summary>
public sealed class SqliteSamplingHttpTests : SamplingHttpTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync((IReadOnlyDictionary<string, string?>?)null, catalogs);
}

/// <summary>The <see cref="SamplingHttpTests"/> facts on PostgreSQL.</summary>
public sealed class PostgresSamplingHttpTests(PostgresServer postgres) : SamplingHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(postgres, null, catalogs);
}
