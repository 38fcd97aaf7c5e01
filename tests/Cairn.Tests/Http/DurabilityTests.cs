using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

public sealed class DurabilityTests
{
    [Fact]
    public async Task Acknowledged_event_is_there_after_a_restart_on_the_same_data_directory()
    {
        await using var server = await TestServer.StartAsync();
        var e = Events.Canonical(Events.NewId(), "restart.player@example.com");
        using (var body = await server.IngestAsync(e.ToJsonString()))
        {
            Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        }

        await server.RestartAsync();

        var key = await server.PlayerKeyAsync("restart.player@example.com");
        using var timeline = await server.GetAsAdminAsync($"/v1/players/{key}/events");
        using var events = await TestServer.ReadJsonAsync(timeline);
        Assert.Equal([e["eventId"]!.GetValue<string>()], events.RootElement.GetProperty("events").EnumerateArray().Select(x => x.GetProperty("eventId").GetString()));
        using var again = await server.IngestAsync(e.ToJsonString());
        Assert.Equal("duplicate", again.RootElement.GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Acknowledged_event_survives_a_kill_of_the_cairn_process()
    {
        using var root = new TempDirectory();
        var data = root.Combine("data");
        var e = Events.Canonical(Events.NewId(), "killed.player@example.com");

        string ingestKey;
        using (var first = await CairnProcess.StartAsync(data))
        {
            ingestKey = await first.CreateKeyAsync();
            using var response = await first.PostAsync(ingestKey, Events.Array(e));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.Equal(1, JsonDocument.Parse(text).RootElement.GetProperty("accepted").GetInt32());
            first.Kill();
        }

        using var second = await CairnProcess.StartAsync(data);
        using var again = await second.PostAsync(ingestKey, Events.Array(e));
        var againText = await again.Content.ReadAsStringAsync();

        Assert.True(again.StatusCode == HttpStatusCode.OK, againText);
        Assert.Equal("duplicate", JsonDocument.Parse(againText).RootElement.GetProperty("results")[0].GetProperty("status").GetString());
        await second.StopAsync();
        Assert.Equal(1, Database.Scalar(Path.Combine(data, "cairn.db"), $"SELECT COUNT(*) FROM events WHERE event_id = '{e["eventId"]}';"));
    }
}
