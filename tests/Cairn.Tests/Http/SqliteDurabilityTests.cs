using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// The <see cref="DurabilityTests"/> facts on the embedded SQLite store, a file in the server's temp data directory,
/// and a kill of a <c>cairn serve</c> child process on its SQLite file (run once, here).
/// </summary>
public sealed class SqliteDurabilityTests : DurabilityTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);

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
