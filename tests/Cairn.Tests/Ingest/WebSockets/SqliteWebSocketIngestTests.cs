using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Ingest.WebSockets;

/// <summary>The <see cref="WebSocketIngestTests"/> facts on the embedded SQLite store, and a kill -9 of a real <c>cairn serve</c>.</summary>
public sealed class SqliteWebSocketIngestTests : WebSocketIngestTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?>? overrides = null) =>
        TestServer.StartAsync(overrides);

    [Fact]
    public async Task Issue_14_after_a_kill_of_the_server_a_reconnecting_client_resends_and_every_acknowledged_event_is_stored_once()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        var envelopes = Enumerable.Range(1, 3).Select(seq => new
        {
            type = "analytics", seq, clientGuid = "kill-client",
            events = Enumerable.Range(0, 5).Select(i =>
            {
                var e = Events.Canonical("unused", "ws.killed@example.com");
                e.Remove("eventId");
                e["data"] = new JsonObject { ["level"] = i };
                return e;
            }).ToArray(),
        }).ToList();

        string key;
        using (var first = await CairnProcess.StartAsync(data))
        {
            key = await first.CreateKeyAsync();
            await using var socket = await AnalyticsSocket.ConnectAsync(first.Http.BaseAddress!, key);
            await socket.ExpectAsync("ready");
            foreach (var envelope in envelopes)
            {
                await socket.SendAsync(envelope);
            }
            var acked = await socket.AnswersAsync([1, 2, 3]);
            Assert.All(acked.Values, a => Assert.Equal(5, a.GetProperty("accepted").GetInt32()));
            first.Kill();
        }

        using var second = await CairnProcess.StartAsync(data);
        await using (var again = await AnalyticsSocket.ConnectAsync(second.Http.BaseAddress!, key))
        {
            await again.ExpectAsync("ready");
            // A client that did not see its acks resends everything it holds: nothing is stored twice.
            foreach (var envelope in envelopes)
            {
                await again.SendAsync(envelope);
            }
            var answers = await again.AnswersAsync([1, 2, 3]);
            Assert.All(answers.Values, a => Assert.Equal(5, a.GetProperty("duplicates").GetInt32()));
        }
        await second.StopAsync();
        Assert.Equal(15, Database.Scalar(Path.Combine(data, "cairn.db"), "SELECT COUNT(*) FROM events WHERE event_id LIKE 'kill-client:%';"));
    }
}
