using Cairn.Client.Tests.Support;

namespace Cairn.Client.Tests;

public sealed class ConsentAndSamplingTests
{
    [Fact]
    public async Task Issue_16_in_opt_in_mode_nothing_is_stored_or_sent_before_consent_and_opting_out_deletes_the_queue()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        using var queue = new TempDirectory();
        var options = server.ClientOptions(queue.Path);
        options.RequireConsent = true;
        using (var client = new CairnClient(options))
        {
            Assert.False(client.IsTracking);
            Assert.False(client.Track("game_stage_start"));
            Assert.True(await client.FlushAsync());
            Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM events"));
            Assert.DoesNotContain(Directory.GetFiles(queue.Path), f => new FileInfo(f).Name.StartsWith("events-", StringComparison.Ordinal) && new FileInfo(f).Length > 0);

            client.SetConsent(true);
            Assert.True(client.Track("game_stage_start"));
            Assert.True(await client.FlushAsync());
            Assert.Equal(1, server.Scalar("SELECT COUNT(*) FROM events"));

            // Offline, events wait on disk; opting out deletes them and stops tracking.
            await server.KillAsync();
            for (var i = 0; i < 5; i++)
            {
                client.Track("game_stage_complete");
            }
            Assert.False(await client.FlushAsync());
            Assert.Equal(5, client.QueuedCount);
            client.SetConsent(false);
            Assert.Equal(0, client.QueuedCount);
            Assert.False(client.Track("game_stage_start"));
            Assert.All(Directory.GetFiles(queue.Path, "events-*"), f => Assert.Equal(0, new FileInfo(f).Length));
        }
        // The choice is remembered: a restarted game with the server up sends nothing until consent is given again.
        await server.StartAsync();
        using (var restarted = new CairnClient(options))
        {
            Assert.False(restarted.IsTracking);
            Assert.False(restarted.Track("game_stage_start"));
            Assert.True(await restarted.FlushAsync());
        }
        Assert.Equal(1, server.Scalar("SELECT COUNT(*) FROM events"));
    }

    [Fact]
    public async Task Issue_16_a_declined_category_is_neither_queued_nor_sent_and_its_queued_events_are_dropped()
    {
        await using var server = new LoopbackServer();
        await server.StartAsync();
        using var client = new CairnClient(server.ClientOptions());
        client.Track("party_join");                                   // social, by the taxonomy
        client.Track("custom_chat", category: "social");
        client.Track("game_stage_start");                             // gameplay
        await Task.Delay(100);
        client.SetCategoryConsent("social", false);
        Assert.False(client.Track("friend_invite"));
        Assert.True(client.Track("damage_dealt"));
        Assert.True(await client.FlushAsync());
        Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM events WHERE event_type IN ('party_join','custom_chat','friend_invite')"));
        Assert.Equal(2, server.Scalar("SELECT COUNT(*) FROM events"));
        client.SetCategoryConsent("social", true);
        Assert.True(client.Track("party_join"));
        Assert.True(await client.FlushAsync());
        Assert.Equal(1, server.Scalar("SELECT COUNT(*) FROM events WHERE event_type = 'party_join'"));
    }

    [Fact]
    public void Issue_16_the_sdk_sampling_function_agrees_with_the_server_on_many_ids()
    {
        var random = new Random(16);
        var types = new[] { "client_tick", "page_view", "mouse_move", "damage_dealt", "é-ü:ß", "x" };
        for (var i = 0; i < 20_000; i++)
        {
            var key = i % 3 == 0 ? Guid.NewGuid().ToString("N") : $"p1_{random.NextInt64():x16}{random.Next():x8}";
            var type = types[i % types.Length];
            var rate = random.NextDouble();
            Assert.Equal(Cairn.Ingest.Sampling.Sampler.Position(key, type), Internal.Sampler.Position(key, type));
            Assert.Equal(Cairn.Ingest.Sampling.Sampler.Keep(key, type, rate), Internal.Sampler.Keep(key, type, rate));
        }
    }

    [Fact]
    public async Task Issue_16_with_the_players_key_the_sdk_sends_exactly_the_events_the_server_keeps()
    {
        const string catalog = $"game: {LoopbackServer.Game}\nsampling:\n  rules:\n    - {{ eventType: client_tick, rate: 0.4 }}\n    - {{ category: combat, rate: 50% }}\npoints: []\n";
        await using var server = new LoopbackServer(catalog: catalog);
        await server.StartAsync();
        using var proxy = new StormProxy(server.Endpoint, _ => null);
        var options = server.ClientOptions();
        options.Endpoint = proxy.Endpoint;
        using var client = new CairnClient(options);
        Assert.True(client.WaitForSampling(TimeSpan.FromSeconds(10)));
        var kept = 0;
        var players = Enumerable.Range(0, 60).Select(i => $"sampled.{i}@example.com").ToList();
        var expected = 0;
        foreach (var player in players)
        {
            var key = await server.PlayerKeyAsync(player);
            client.Identify(player, key);
            foreach (var type in new[] { "client_tick", "damage_dealt", "game_stage_start" })
            {
                var rate = type == "client_tick" ? 0.4 : type == "damage_dealt" ? 0.5 : 1;
                var keep = Cairn.Ingest.Sampling.Sampler.Keep(key, type, rate);
                expected += keep ? 1 : 0;
                var tracked = client.Track(type);
                Assert.Equal(keep, tracked);
                kept += tracked ? 1 : 0;
            }
        }
        Assert.InRange(kept, 61, 179);
        Assert.True(await client.FlushAsync());
        Assert.Equal(((long)expected, (long)expected), server.Stored());
        // Nothing the server would sample out was sent: it answered every event accepted.
        Assert.NotEmpty(proxy.EventAnswerBodies);
        Assert.All(proxy.EventAnswerBodies, body => Assert.DoesNotContain("sampled_out", body, StringComparison.Ordinal));
    }
}
