using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Ingest.WebSockets;

/// <summary>Analytics over a real WebSocket (<c>GET /v1/ws</c>, seed 003); a subclass per store says how to start the server.</summary>
public abstract class WebSocketIngestTests
{
    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null);

    /// <summary>An event as a game sends it over the socket: no eventId (the envelope's clientGuid and seq number it).</summary>
    private static JsonObject GameEvent(string player, int level)
    {
        var e = Events.Canonical("unused", player);
        e.Remove("eventId");
        e["data"] = new JsonObject { ["level"] = level, ["score"] = 10 * level };
        return e;
    }

    private static object Envelope(long seq, string clientGuid, params JsonObject[] events) =>
        new { type = "analytics", seq, clientGuid, analyticsVersion = "1.2.0", events };

    private static long Stored(TestServer server, string clientGuid) =>
        server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE event_id LIKE '{clientGuid}:%';");

    [SkippableFact]
    public async Task Issue_14_an_envelope_is_acknowledged_after_its_commit_and_a_resent_one_stores_nothing_twice()
    {
        await using var server = await StartServerAsync();
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey);
        var ready = await socket.ExpectAsync("ready");
        Assert.Equal(TestServer.Org, ready.GetProperty("org").GetString());

        var envelope = Envelope(7, "client-a", GameEvent("ws.ada@example.com", 1), GameEvent("ws.ada@example.com", 2));
        await socket.SendAsync(envelope);
        var ack = await socket.ExpectAsync("ack");
        // The ack comes after the commit: the events are in the store when it is read.
        var storedAtAck = Stored(server, "client-a");
        await socket.SendAsync(envelope);
        var again = await socket.ExpectAsync("ack");

        Assert.Equal(7, ack.GetProperty("seq").GetInt64());
        Assert.Equal(2, ack.GetProperty("accepted").GetInt32());
        Assert.Equal(["client-a:7.0", "client-a:7.1"], ack.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("eventId").GetString()));
        Assert.Equal(2, storedAtAck);
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(2, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(2, Stored(server, "client-a"));
        Assert.Equal(2, server.Sql.Scalar("SELECT COUNT(*) FROM events WHERE event_id LIKE 'client-a:%' AND schema_version = '1.2.0';"));
    }

    [SkippableFact]
    public async Task Issue_14_events_that_carry_their_own_seq_are_deduplicated_by_it()
    {
        await using var server = await StartServerAsync();
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey);
        await socket.ExpectAsync("ready");
        var first = GameEvent("ws.ben@example.com", 1);
        first["seq"] = 41;

        await socket.SendAsync(Envelope(1, "client-b", first));
        var ack = await socket.ExpectAsync("ack");
        // The same event resent in another envelope (a client that regrouped its queue) is still a duplicate.
        await socket.SendAsync(Envelope(2, "client-b", (JsonObject)first.DeepClone()));
        var again = await socket.ExpectAsync("ack");

        Assert.Equal("client-b:41", ack.GetProperty("results")[0].GetProperty("eventId").GetString());
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, Stored(server, "client-b"));
    }

    [SkippableFact]
    public async Task Issue_14_a_browser_authenticates_with_a_hello_message()
    {
        await using var server = await StartServerAsync();
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, key: null);

        await socket.SendAsync(new { type = "hello", key = server.IngestKey });
        await socket.ExpectAsync("ready");
        await socket.SendAsync(Envelope(1, "browser-1", GameEvent("ws.cleo@example.com", 1)));
        var ack = await socket.ExpectAsync("ack");

        Assert.Equal(1, ack.GetProperty("accepted").GetInt32());
        Assert.Equal(1, Stored(server, "browser-1"));
    }

    [SkippableFact]
    public async Task Issue_14_nothing_but_a_hello_is_accepted_before_it_and_a_bad_key_is_refused()
    {
        await using var server = await StartServerAsync();
        await using (var early = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, key: null))
        {
            await early.SendAsync(Envelope(1, "early", GameEvent("ws.dan@example.com", 1)));
            var error = await early.ExpectAsync("error");
            Assert.Equal("unauthorized", error.GetProperty("code").GetString());
            Assert.Null(await early.ReceiveAsync());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, early.CloseStatus);
        }
        await using (var wrong = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, key: null))
        {
            await wrong.SendAsync(new { type = "hello", key = "cik_not_a_key_of_this_server" });
            Assert.Equal("unauthorized", (await wrong.ExpectAsync("error")).GetProperty("code").GetString());
            Assert.Null(await wrong.ReceiveAsync());
        }
        Assert.Equal(0, Stored(server, "early"));
        Assert.Equal(401, await AnalyticsSocket.UpgradeStatusAsync(server.Http.BaseAddress!, "cik_not_a_key_of_this_server"));
        Assert.Equal(403, await AnalyticsSocket.UpgradeStatusAsync(server.Http.BaseAddress!, TestServer.AdminToken));
    }

    [SkippableFact]
    public async Task Issue_14_without_a_hello_in_time_the_socket_is_closed()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string?> { ["Ingest:WebSocket:HelloSeconds"] = "1" });
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, key: null);

        var error = await socket.ExpectAsync("error");

        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.Contains("No hello within 1 s", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(await socket.ReceiveAsync());
    }

    [SkippableFact]
    public async Task Issue_14_a_bad_version_a_bad_envelope_and_a_message_over_the_limit_are_refused_and_the_connection_goes_on()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string?> { ["Ingest:WebSocket:MaxMessageBytes"] = "4096" });
        var before = await Observability.Scrape.TakeAsync(server);
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey);
        await socket.ExpectAsync("ready");

        await socket.SendAsync(new { type = "analytics", seq = 1, clientGuid = "client-c", analyticsVersion = "one", events = new[] { GameEvent("ws.eve@example.com", 1) } });
        var version = await socket.ExpectAsync("error");
        await socket.SendTextAsync("{\"type\":\"analytics\",\"seq\":2,");
        var malformed = await socket.ExpectAsync("error");
        var big = GameEvent("ws.eve@example.com", 2);
        big["data"]!["padding"] = new string('x', 8000);
        await socket.SendAsync(Envelope(3, "client-c", big));
        var tooLarge = await socket.ExpectAsync("error");
        await socket.SendAsync(Envelope(4, "client-c", GameEvent("ws.eve@example.com", 3)));
        var ack = await socket.ExpectAsync("ack");
        var after = await Observability.Scrape.TakeAsync(server);

        Assert.Equal(("analytics_version", 1L), (version.GetProperty("code").GetString(), version.GetProperty("seq").GetInt64()));
        Assert.Equal("bad_envelope", malformed.GetProperty("code").GetString());
        Assert.Contains("not valid JSON", malformed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("too_large", tooLarge.GetProperty("code").GetString());
        Assert.Equal(4, ack.GetProperty("seq").GetInt64());
        Assert.Equal(1, Stored(server, "client-c"));
        Assert.Equal(1, after.Value("cairn_analytics_drop", "code=\"too_large\"") - before.Value("cairn_analytics_drop", "code=\"too_large\""));
        Assert.Equal(1, after.Value("cairn_analytics_drop", "code=\"analytics_version\"") - before.Value("cairn_analytics_drop", "code=\"analytics_version\""));
    }

    [SkippableFact]
    public async Task Issue_14_websocket_and_http_give_the_same_results_for_the_same_events()
    {
        var batch = new JsonArray(
            Events.Canonical("same-1", "same.player@example.com"),
            new JsonObject { ["eventId"] = "same-2", ["timestamp"] = "2025-09-29T22:02:51Z", ["playerId"] = "same.player@example.com" },
            Events.Canonical("same-3", "same.player@example.com"),
            Events.Canonical("same-1", "same.player@example.com"));
        ((JsonObject)batch[2]!)["data"] = new JsonObject { ["level"] = "7" };

        await using var overHttp = await StartServerAsync();
        using var response = await overHttp.PostEventsAsync(batch.ToJsonString());
        using var http = await TestServer.ReadJsonAsync(response);
        await using var overSocket = await StartServerAsync();
        await using var socket = await AnalyticsSocket.ConnectAsync(overSocket.Http.BaseAddress!, overSocket.IngestKey);
        await socket.ExpectAsync("ready");
        await socket.SendTextAsync($$"""{"type":"analytics","seq":1,"clientGuid":"same","events":{{batch.ToJsonString()}}}""");
        var ack = await socket.ExpectAsync("ack");

        foreach (var field in new[] { "accepted", "duplicates", "rejected" })
        {
            Assert.Equal(http.RootElement.GetProperty(field).GetInt32(), ack.GetProperty(field).GetInt32());
        }
        Assert.Equal(http.RootElement.GetProperty("results").GetRawText(), ack.GetProperty("results").GetRawText());
        Assert.Equal(2, ack.GetProperty("accepted").GetInt32());
        Assert.Equal(1, ack.GetProperty("rejected").GetInt32());
    }

    [SkippableFact]
    public async Task Issue_14_with_writes_held_a_connection_reads_no_more_than_its_bound_and_every_envelope_is_answered_once_released()
    {
        await using var server = await StartServerAsync(new Dictionary<string, string?> { ["Ingest:WebSocket:MaxInFlightPerConnection"] = "2" });
        var sockets = server.Services.GetRequiredService<Cairn.Ingest.WebSockets.AnalyticsSockets>();
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey);
        await socket.ExpectAsync("ready");
        var seqs = Enumerable.Range(1, 6).Select(i => (long)i).ToList();

        Task sending;
        var sawAtBound = false;
        using (server.Sql.HoldWrites())
        {
            sending = Task.Run(async () =>
            {
                foreach (var seq in seqs)
                {
                    await socket.SendAsync(Envelope(seq, "client-d", GameEvent("ws.fay@example.com", (int)seq)));
                }
            });
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline && !sawAtBound)
            {
                sawAtBound = sockets.InFlight == 2;
                await Task.Delay(20);
            }
            // Held: the two taken wait for the store, the rest stay unread in the socket.
            await Task.Delay(500);
            Assert.Equal(2, sockets.InFlight);
        }
        var answers = await socket.AnswersAsync(seqs);
        await sending;

        Assert.True(sawAtBound, "the connection never had its two envelopes in flight");
        Assert.All(answers.Values, a => Assert.Equal("ack", a.GetProperty("type").GetString()));
        Assert.Equal(6, Stored(server, "client-d"));
        Assert.Equal(0, sockets.InFlight);
    }
}
