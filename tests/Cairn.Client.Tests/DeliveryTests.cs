using Cairn.Client.Tests.Support;

namespace Cairn.Client.Tests;

/// <summary>The SDK against a real Cairn server on loopback: offline, a server dying mid-flush, storms, splits, both transports.</summary>
public sealed class DeliveryTests
{
    private static void TrackMany(CairnClient client, int count, string prefix = "level")
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(client.Track("game_stage_complete", new EventData().Set("n", i).Set("name", $"{prefix}-{i}").Set("ok", i % 2 == 0)));
        }
    }

    [Fact]
    public async Task Issue_16_events_tracked_while_the_server_is_down_are_stored_once_when_it_comes_up()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        await server.KillAsync();
        using var queue = new TempDirectory();
        var diagnostics = new List<string>();
        using (var client = new CairnClient(server.ClientOptions(queue.Path).WithDiagnostics(diagnostics)))
        {
            client.Identify("offline.player@example.com");
            client.StartSession();
            TrackMany(client, 40);
            Assert.False(await client.FlushAsync());
            Assert.Equal(41, client.QueuedCount);
            Assert.Contains(diagnostics, d => d.StartsWith("retry_later", StringComparison.Ordinal));

            await server.StartAsync();
            Assert.True(await client.FlushAsync());
            Assert.Equal(0, client.QueuedCount);
        }
        Assert.Equal((41L, 41L), server.Stored());
        Assert.Equal(1, server.Scalar("SELECT COUNT(*) FROM events WHERE event_type = 'session_start'"));
    }

    [Fact]
    public async Task Issue_16_a_server_killed_mid_flush_loses_nothing_and_stores_nothing_twice()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        using var queue = new TempDirectory();
        var options = server.ClientOptions(queue.Path);
        options.BatchSize = 50;
        using var client = new CairnClient(options);
        client.Identify("killed.mid.flush@example.com");
        TrackMany(client, 2000);
        var flush = client.FlushAsync();
        // Kill the server while batches are on their way (some stored and answered, some stored and not answered, some not sent).
        while (server.Scalar("SELECT COUNT(*) FROM events") < 300 && !flush.IsCompleted)
        {
            await Task.Delay(5);
        }
        await server.KillAsync();
        var first = await flush;
        var storedBeforeRestart = server.Scalar("SELECT COUNT(*) FROM events");
        Assert.InRange(storedBeforeRestart, 300, 2000);
        Assert.False(first && storedBeforeRestart < 2000);

        await server.StartAsync();
        Assert.True(await client.FlushAsync());
        Assert.Equal((2000L, 2000L), server.Stored());
    }

    [Fact]
    public async Task Issue_16_a_429_and_503_storm_is_ridden_out_with_Retry_After_and_nothing_is_dropped_or_doubled()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        // Two requests of every three are refused: 429 with Retry-After, 503 without; the third goes through.
        using var proxy = new StormProxy(server.Endpoint, n => (n % 3) switch { 1 => (429, "0"), 2 => (503, null), _ => null });
        var options = server.ClientOptions();
        options.Endpoint = proxy.Endpoint;
        options.BatchSize = 100;
        using var client = new CairnClient(options);
        client.Identify("storm@example.com");
        TrackMany(client, 350);
        Assert.True(await client.FlushAsync());
        Assert.Equal((350L, 350L), server.Stored());
        // Four batches, each refused twice and accepted on its third attempt.
        Assert.Equal(12, proxy.EventRequests);
    }

    [Fact]
    public async Task Issue_16_three_attempts_per_flush_then_the_batch_stays_queued_for_the_next()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        var down = true;
        using var proxy = new StormProxy(server.Endpoint, _ => Volatile.Read(ref down) ? (503, "0") : null);
        var options = server.ClientOptions();
        options.Endpoint = proxy.Endpoint;
        using var client = new CairnClient(options);
        TrackMany(client, 30);
        Assert.False(await client.FlushAsync());
        Assert.Equal(3, proxy.EventRequests);
        Assert.Equal(30, client.QueuedCount);
        Assert.False(await client.FlushAsync());
        Assert.Equal(6, proxy.EventRequests);
        Volatile.Write(ref down, false);
        Assert.True(await client.FlushAsync());
        Assert.Equal(7, proxy.EventRequests);
        Assert.Equal((30L, 30L), server.Stored());
    }

    [Fact]
    public async Task Issue_16_a_413_splits_the_batch_until_the_server_takes_it()
    {
        await using var server = new LoopbackServer(new Dictionary<string, string?> { ["Ingest:MaxEventsPerBatch"] = "16" });
        await server.StartAsync();
        using var proxy = new StormProxy(server.Endpoint, _ => null);
        var options = server.ClientOptions();
        options.Endpoint = proxy.Endpoint;
        using var client = new CairnClient(options);
        TrackMany(client, 100);
        Assert.True(await client.FlushAsync());
        Assert.Equal((100L, 100L), server.Stored());
        Assert.Contains(proxy.Answers, a => a.Status == 413);
    }

    [Fact]
    public async Task Issue_16_events_the_server_rejects_are_dropped_alone_and_the_rest_of_the_batch_is_stored()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        var diagnostics = new List<string>();
        using var client = new CairnClient(server.ClientOptions().WithDiagnostics(diagnostics));
        TrackMany(client, 10);
        // An event type the server refuses (spaces are not allowed), in the middle of the batch.
        Assert.True(client.Track("not a valid type"));
        TrackMany(client, 10, "after");
        Assert.True(await client.FlushAsync());
        Assert.Equal((20L, 20L), server.Stored());
        Assert.Equal(0, client.QueuedCount);
        Assert.Contains(diagnostics, d => d.StartsWith("rejected", StringComparison.Ordinal));
        Assert.Equal(1, server.Scalar("SELECT COUNT(*) FROM rejected_events"));
    }

    [Fact]
    public async Task Issue_16_the_websocket_transport_delivers_and_resends_after_the_server_comes_back()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        var options = server.ClientOptions();
        options.Transport = CairnTransport.WebSocket;
        options.BatchSize = 40;
        using var client = new CairnClient(options);
        client.Identify("socket@example.com");
        TrackMany(client, 150);
        Assert.True(await client.FlushAsync());
        Assert.Equal((150L, 150L), server.Stored());

        await server.KillAsync();
        TrackMany(client, 60, "offline");
        Assert.False(await client.FlushAsync());
        await server.StartAsync();
        Assert.True(await client.FlushAsync());
        Assert.Equal((210L, 210L), server.Stored());
    }

    [Fact]
    public async Task Issue_16_each_event_carries_its_sdk_event_id_client_guid_and_a_rising_sequence_number()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        using var queue = new TempDirectory();
        string guid;
        using (var client = new CairnClient(server.ClientOptions(queue.Path)))
        {
            guid = client.ClientGuid;
            TrackMany(client, 5);
            Assert.True(await client.FlushAsync());
        }
        using (var again = new CairnClient(server.ClientOptions(queue.Path)))
        {
            Assert.Equal(guid, again.ClientGuid);
            TrackMany(again, 5);
            Assert.True(await again.FlushAsync());
        }
        Assert.Equal(10, server.Scalar($"SELECT COUNT(*) FROM events WHERE json_extract(context, '$.clientGuid') = '{guid}'"));
        Assert.Equal(10, server.Scalar("SELECT COUNT(DISTINCT json_extract(context, '$.seq')) FROM events"));
        Assert.Equal(10, server.Scalar("SELECT COUNT(*) FROM events WHERE length(event_id) = 36"));
    }
}
