using System.Net;
using System.Text;
using System.Text.Json;
using Cairn.Tests.Dashboard;
using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

public sealed class ErasureTests
{
    private const string Raw = "ben@school.example";
    private const string Name = "Ben Bauer";

    private sealed record World(DashboardServer Dashboard, string Key, string StudentToken, string OrgAdminToken)
    {
        public TestServer Server => Dashboard.Server;
    }

    private static async Task<string> TokenAsync(TestServer server, object request)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken, JsonSerializer.Serialize(request));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        return body.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>Ben has events, progress, change-log rows, a quarantined event, a membership, a directory row and a student token.</summary>
    private static async Task<World> StartAsync()
    {
        var d = await DashboardServer.StartAsync();
        var key = await d.Server.PlayerKeyAsync(Raw);
        await d.SendAsync(Raw, 31, 29, minutesAgo: 20);
        await d.SendAsync(Raw, 20, 1, minutesAgo: 10);
        await d.SendAsync("ada@school.example", 31, 29, minutesAgo: 20);
        using (var bad = await d.Server.PostEventsAsync(JsonSerializer.Serialize(new { eventId = Events.NewId(), eventType = "DialogueEvent", timestamp = "soon", playerId = Raw }), d.IngestKey))
        {
            Assert.Contains("\"rejected\":1", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await d.WaitForCellAsync(key, "U1.C1", "green");
        var student = await TokenAsync(d.Server, new { org = TestServer.Org, role = "student", playerId = Raw });
        var orgAdmin = await TokenAsync(d.Server, new { org = TestServer.Org, role = "org-admin" });
        using (var own = await d.Server.SendAsync(HttpMethod.Get, $"/v1/players/{key}/events", student, null))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }
        Assert.True(Database.Scalar(d.Server.DatabasePath, $"SELECT COUNT(*) FROM rejected_events WHERE player_key = '{key}';") == 1);
        return new World(d, key, student, orgAdmin);
    }

    private static List<string> Needles(World w) => [Raw, Raw.ToUpperInvariant(), Name, w.Key];

    /// <summary>Every needle found in any cell of any table, or in the raw bytes of the database and its WAL.</summary>
    private static async Task<List<string>> TracesAsync(World w)
    {
        var found = new List<string>();
        foreach (var file in Directory.GetFiles(w.Server.DataDirectory, "cairn.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            found.AddRange(Needles(w).Where(n => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(n)) >= 0).Select(n => $"{Path.GetFileName(file)} bytes hold '{n}'"));
        }
        foreach (var (table, column, text) in Database.AllCells(w.Server.DatabasePath))
        {
            found.AddRange(Needles(w).Where(n => text.Contains(n, StringComparison.OrdinalIgnoreCase)).Select(n => $"{table}.{column} holds '{n}'"));
        }
        return found;
    }

    private static async Task AssertErasedAsync(World w)
    {
        using (var token = await w.Server.SendAsync(HttpMethod.Get, $"/v1/players/{w.Key}/events", w.StudentToken, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        }
        using (var audit = await w.Server.GetAsAdminAsync("/v1/admin/audit"))
        {
            var text = await audit.Content.ReadAsStringAsync();
            Assert.Contains("\"player.erase\"", text, StringComparison.Ordinal);
            Assert.All(Needles(w), n => Assert.DoesNotContain(n, text, StringComparison.OrdinalIgnoreCase));
        }
        // While the server runs (the WAL in use), and again once it is stopped.
        Assert.Empty(await TracesAsync(w));
        await w.Server.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Empty(await TracesAsync(w));
        Assert.True(Database.Scalar(w.Server.DatabasePath, "SELECT COUNT(*) FROM events;") > 0, "another player's events are kept");
    }

    [Fact]
    public async Task Admin_erasure_leaves_no_trace_of_the_player_anywhere_and_ends_their_token()
    {
        var w = await StartAsync();
        await using var _ = w.Dashboard;

        using var response = await w.Server.SendAsync(HttpMethod.Delete, $"/v1/players/{Uri.EscapeDataString(Raw)}?org={TestServer.Org}", TestServer.AdminToken, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        Assert.True(body.RootElement.GetProperty("removed").GetProperty("events").GetInt64() >= 2);
        await AssertErasedAsync(w);
    }

    [Fact]
    public async Task Org_admin_erasure_takes_the_org_from_the_token()
    {
        var w = await StartAsync();
        await using var _ = w.Dashboard;

        using var response = await w.Server.SendAsync(HttpMethod.Post, "/v1/players/erase", w.OrgAdminToken, JsonSerializer.Serialize(new { playerId = Raw }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertErasedAsync(w);
    }

    [Fact]
    public async Task Cli_erasure_leaves_no_trace_and_the_token_no_longer_works_after_a_restart()
    {
        var w = await StartAsync();
        await using var _ = w.Dashboard;
        await w.Server.StopAsync();

        var result = await CairnCli.RunAsync(w.Server.Root.Path, "erase", "--data", w.Server.DataDirectory, "--org", TestServer.Org, "--player", Raw);
        await w.Server.RestartAsync();

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("erased:", result.Output, StringComparison.Ordinal);
        await AssertErasedAsync(w);
    }
}
