using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>What an acknowledged event survives; a subclass per store says how to start the server.</summary>
public abstract class DurabilityTests
{
    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    [SkippableFact]
    public async Task Acknowledged_event_is_there_after_a_restart_on_the_same_store()
    {
        await using var server = await StartServerAsync();
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
}
