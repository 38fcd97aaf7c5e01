using System.Net;
using System.Text.Json;
using Cairn.Tests.Dashboard;
using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

/// <summary>The documented rotation: v2 becomes current with v1 kept as a previous pepper, then <c>cairn rekey</c>.</summary>
public sealed class PepperRotationTests
{
    private const string NewPepper = "rotated-pepper-v2-0123456789-abcdef";
    private const string Ada = "ada@school.example";
    private const string Ben = "ben@school.example";

    private static readonly Dictionary<string, string?> Rotated = new()
    {
        ["Identity:Pepper"] = NewPepper,
        ["Identity:PepperVersion"] = "2",
        ["Identity:PreviousPeppers:0:Version"] = "1",
        ["Identity:PreviousPeppers:0:Pepper"] = TestServer.Pepper,
    };

    private static async Task<List<(string Point, string Status, double? Score)>> ProgressAsync(TestServer server, string key)
    {
        using var response = await server.GetAsAdminAsync($"/v1/players/{key}/progress");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        return body.RootElement.GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("pointId").GetString()!, p.GetProperty("status").GetString()!,
                p.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : (double?)null))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();
    }

    private static async Task<List<(string Point, string Status, double? Score)>> WaitForProgressAsync(TestServer server, string key, int points)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var progress = await ProgressAsync(server, key);
            if (progress.Count == points || DateTime.UtcNow > deadline)
            {
                return progress;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The playerKeys of a table; a class job of the rollups projection holds no player (player_key '') and is left out.</summary>
    private static List<string> KeysIn(TestServer server, string table) =>
        Database.Column(server.DatabasePath, $"SELECT DISTINCT player_key FROM {table} WHERE player_key IS NOT NULL AND player_key <> '';");

    [Fact]
    public async Task Rotation_keeps_players_findable_and_erasable_and_rekey_moves_everything_to_the_new_version()
    {
        await using var d = await DashboardServer.StartAsync();
        var server = d.Server;
        var adaV1 = await server.PlayerKeyAsync(Ada);
        await d.SendAsync(Ada, 31, 29, minutesAgo: 30); // U1.C1
        await d.SendAsync(Ada, 20, 1, minutesAgo: 10); // U2.C2 start
        await d.SendAsync(Ada, 20, 26, minutesAgo: 8); // U2.C2 complete
        await d.SendAsync(Ben, 31, 29, minutesAgo: 30);
        await d.WaitForCellAsync(adaV1, "U2.C2", "green");
        var before = await ProgressAsync(server, adaV1);
        Assert.StartsWith("p1_", adaV1, StringComparison.Ordinal);

        // A quarantined event of Ada under the old version: its redacted payload quotes her key.
        using (var bad = await server.PostEventsAsync(System.Text.Json.JsonSerializer.Serialize(new { eventId = Events.NewId(), eventType = "DialogueEvent", timestamp = "soon", playerId = Ada }), d.IngestKey))
        {
            Assert.Contains("\"rejected\":1", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await server.RestartAsync(Rotated);
        using var lookup = await server.GetAsAdminAsync($"/v1/admin/players/lookup?org={TestServer.Org}&playerId={Ada}");
        using var found = await TestServer.ReadJsonAsync(lookup);
        await d.SendAsync(Ada, 30, 98, minutesAgo: 5); // U1.C2, under the new pepper
        await d.SendAsync(Ben, 30, 98, minutesAgo: 5);

        var adaV2 = found.RootElement.GetProperty("playerKey").GetString()!;
        Assert.StartsWith("p2_", adaV2, StringComparison.Ordinal);
        Assert.Equal(adaV1, found.RootElement.GetProperty("storedAs").GetString());
        Assert.True(found.RootElement.GetProperty("known").GetBoolean());
        Assert.Equal(1, Database.Scalar(server.DatabasePath, $"SELECT COUNT(*) FROM events WHERE player_key = '{adaV2}';"));

        // Ben has data under both versions: erasure finds both.
        using (var erase = await server.SendAsync(HttpMethod.Delete, $"/v1/players/{Ben}?org={TestServer.Org}", TestServer.AdminToken, null))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        }
        var benKeys = Database.Column(server.DatabasePath, "SELECT player_key FROM events").Distinct().Where(k => k != adaV1 && k != adaV2).ToList();
        Assert.Empty(benKeys);
        Assert.DoesNotContain(Database.AllCells(server.DatabasePath), c => c.Text.Contains(Ben, StringComparison.OrdinalIgnoreCase));

        await server.StopAsync();
        var rekey = await CairnCli.RunAsync(server.Root.Path, new Dictionary<string, string>
        {
            ["CAIRN_PEPPER"] = NewPepper,
            ["CAIRN_Identity__PepperVersion"] = "2",
            ["CAIRN_Identity__PreviousPeppers__0__Version"] = "1",
            ["CAIRN_Identity__PreviousPeppers__0__Pepper"] = TestServer.Pepper,
        }, "rekey", "--data", server.DataDirectory);
        Assert.True(rekey.ExitCode == 0, rekey.Error);
        await server.RestartAsync();

        foreach (var table in new[] { "events", "progress_points", "group_members", "players", "progress_changes", "jobs" })
        {
            Assert.All(KeysIn(server, table), k => Assert.StartsWith("p2_", k, StringComparison.Ordinal));
        }
        // Every table that holds a playerKey (found from the schema, so a new one cannot be forgotten), and any text that
        // quotes one (the quarantine's redacted payload, roster audit entries): nothing is left under the old version.
        var keyTables = Database.Column(server.DatabasePath,
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'player_key';");
        Assert.Contains("group_members", keyTables);
        Assert.Contains("rejected_events", keyTables);
        foreach (var table in keyTables)
        {
            Assert.All(KeysIn(server, table), k => Assert.StartsWith("p2_", k, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(Database.AllCells(server.DatabasePath), c => c.Text.Contains(adaV1, StringComparison.Ordinal));
        using var timeline = await server.GetAsAdminAsync($"/v1/players/{adaV2}/events");
        using var events = await TestServer.ReadJsonAsync(timeline);
        Assert.Equal(4, events.RootElement.GetProperty("events").GetArrayLength());
        var after = await WaitForProgressAsync(server, adaV2, before.Count + 1);
        Assert.Equal(before, after.Where(p => p.Point != "U1.C2"));
        Assert.Contains(after, p => p.Point == "U1.C2" && p.Status == "green");
        using var matrix = await d.MatrixAsync();
        Assert.Equal("green", DashboardServer.CellStatus(matrix, adaV2, "U2.C2"));
    }
}
