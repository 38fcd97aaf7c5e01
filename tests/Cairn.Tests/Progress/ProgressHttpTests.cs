using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.Progress;

/// <summary>
/// Ingest over HTTP, the server's own worker, and the admin calls for progress, jobs and catalogs; a subclass per store
/// says how to start the server.
/// </summary>
public abstract class ProgressHttpTests : IAsyncLifetime
{
    private const string Player = "lea@school.example";
    private static readonly string MhsYaml = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml"));

    private TestServer _server = null!;
    private string _key = null!;

    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync(
            new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" },
            new Dictionary<string, string> { ["mhs.yaml"] = MhsYaml });
        _key = await _server.CreateIngestKeyAsync(TestServer.Org, "mhs");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task SendAsync(params JsonObject[] events)
    {
        using var response = await _server.PostEventsAsync(Events.Array(events), _key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.All(JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal("accepted", r.GetProperty("status").GetString()));
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _server.GetAsAdminAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> PostAsync(string path, string json)
    {
        using var response = await _server.SendAsync(HttpMethod.Post, path, TestServer.AdminToken, json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads a path until the condition holds (the worker runs in the background), failing after a few seconds.</summary>
    private async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> until)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var body = await GetAsync(path);
            if (until(body))
            {
                return body;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{path} never got there: {body}");
            await Task.Delay(25);
        }
    }

    private Task<JsonElement> PointsAsync(string playerKey, Func<JsonElement[], bool> until) =>
        PollAsync($"/v1/players/{playerKey}/progress?game=mhs", body => until([.. body.GetProperty("points").EnumerateArray()]));

    private static JsonElement Point(JsonElement body, string pointId) =>
        body.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("pointId").GetString() == pointId);

    private async Task<string> VersionInForceAsync(string pointId)
    {
        var list = await GetAsync("/v1/admin/catalogs");
        var mhs = list.GetProperty("games").EnumerateArray().Single(g => g.GetProperty("game").GetString() == "mhs");
        return mhs.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("id").GetString() == pointId).GetProperty("version").GetString()!;
    }

    [SkippableFact]
    public async Task Completion_shows_in_progress_with_its_event_key_and_a_reset_removes_it()
    {
        await SendAsync(DialogueEvent("evt-start", Player, 0, 20, 1), DialogueEvent("evt-done", Player, 100, 20, 26));
        var playerKey = await _server.PlayerKeyAsync(Player);

        var progress = await PointsAsync(playerKey, points => points.Length == 1);
        var timeline = await GetAsync($"/v1/players/{playerKey}/events");

        var cell = Point(progress, "U2.C2");
        Assert.Equal("green", cell.GetProperty("status").GetString());
        Assert.Equal(100, cell.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(100, cell.GetProperty("score").GetDouble());
        Assert.Equal("evt-done", cell.GetProperty("triggerEventId").GetString());
        Assert.Equal(At(100), cell.GetProperty("completedAt").GetDateTimeOffset());
        Assert.Equal(await VersionInForceAsync("U2.C2"), cell.GetProperty("scoreVersion").GetString());
        var stored = timeline.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("eventId").GetString()!, e => e.GetProperty("eventKey").GetString());
        Assert.Equal("dialogue:20:26", stored["evt-done"]);
        Assert.Equal("dialogue:20:1", stored["evt-start"]);

        await SendAsync(Event("evt-reset", Player, 200, "ProgressReset", ResetPoints("U2.C2")));

        await PointsAsync(playerKey, points => points.Length == 0);
        var jobs = await PollAsync("/v1/admin/jobs", j => j.GetProperty("pending").GetInt64() == 0 && j.GetProperty("leased").GetInt64() == 0);
        Assert.Equal(0, jobs.GetProperty("dead").GetInt64());
    }

    [SkippableFact]
    public async Task Rule_change_on_reload_recomputes_rows_and_a_broken_file_keeps_the_old_rules()
    {
        await SendAsync(DialogueEvent("s1", Player, 0, 20, 1), DialogueEvent("c1", Player, 100, 20, 26));
        var playerKey = await _server.PlayerKeyAsync(Player);
        var before = Point(await PointsAsync(playerKey, points => points.Length == 1), "U2.C2");
        var oldVersion = before.GetProperty("scoreVersion").GetString();
        var path = Path.Combine(_server.CatalogsDirectory, "mhs.yaml");
        var stricter = MhsYaml.Replace("durationSeconds: { max: 300 }", "durationSeconds: { max: 60 }", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, stricter);

        var reload = await PostAsync("/v1/admin/catalogs/reload", "{}");

        Assert.Equal("green", before.GetProperty("status").GetString());
        Assert.Equal(["mhs"], reload.GetProperty("games").EnumerateArray().Select(g => g.GetString()));
        Assert.Empty(reload.GetProperty("errors").EnumerateArray());
        var newVersion = await VersionInForceAsync("U2.C2");
        Assert.NotEqual(oldVersion, newVersion);
        var after = Point(await PointsAsync(playerKey, points => points.Length == 1 && points[0].GetProperty("scoreVersion").GetString() == newVersion), "U2.C2");
        Assert.Equal("yellow", after.GetProperty("status").GetString());
        Assert.Equal(100, after.GetProperty("durationSeconds").GetDouble());

        await File.WriteAllTextAsync(path, stricter.Replace("durationSeconds: { max: 60 }", "durationSeconds: { max: sixty }", StringComparison.Ordinal));
        var refused = await PostAsync("/v1/admin/catalogs/reload", "{}");

        Assert.Equal(["mhs"], refused.GetProperty("games").EnumerateArray().Select(g => g.GetString()));
        var error = Assert.Single(refused.GetProperty("errors").EnumerateArray()).GetString();
        Assert.Contains("mhs.yaml:", error, StringComparison.Ordinal);
        Assert.Contains("max must be a number", error, StringComparison.Ordinal);
        Assert.Equal(newVersion, await VersionInForceAsync("U2.C2"));
        const string other = "max@school.example";
        await SendAsync(DialogueEvent("s2", other, 0, 20, 1), DialogueEvent("c2", other, 90, 20, 26));
        var otherCell = Point(await PointsAsync(await _server.PlayerKeyAsync(other), points => points.Length == 1), "U2.C2");
        Assert.Equal("yellow", otherCell.GetProperty("status").GetString());
        Assert.Equal(newVersion, otherCell.GetProperty("scoreVersion").GetString());
    }

    [SkippableFact]
    public async Task Dead_job_is_listed_and_requeued_over_http_and_the_worker_then_completes_it()
    {
        await SendAsync(DialogueEvent("c1", Player, 10, 31, 29));
        var playerKey = await _server.PlayerKeyAsync(Player);
        await PointsAsync(playerKey, points => points.Length == 1);
        // As if the recompute had failed every attempt: no row, a dead letter.
        _server.Sql.Execute($"""
            DELETE FROM progress_points;
            INSERT INTO dead_jobs (projection, org_id, game, player_key, job_key, trigger_event_id, attempts, last_error, failed_at)
            VALUES ('progress', '{TestServer.Org}', 'mhs', '{playerKey}', 'U1.C1', 'c1', 5, 'IOException: disk on fire', {_server.Sql.Time(DateTimeOffset.UnixEpoch)});
            """);

        var counts = await GetAsync("/v1/admin/jobs");
        var dead = await GetAsync("/v1/admin/jobs/dead");
        var retry = await PostAsync("/v1/admin/jobs/dead/retry", "{}");

        Assert.Equal(1, counts.GetProperty("dead").GetInt64());
        Assert.Equal(1, counts.GetProperty("byProjection").GetProperty("progress").GetProperty("dead").GetInt64());
        var job = Assert.Single(dead.GetProperty("jobs").EnumerateArray());
        Assert.Equal("IOException: disk on fire", job.GetProperty("lastError").GetString());
        Assert.Equal(("progress", "U1.C1"), (job.GetProperty("projection").GetString(), job.GetProperty("key").GetString()));
        Assert.Equal(1, retry.GetProperty("requeued").GetInt32());
        var cell = Point(await PointsAsync(playerKey, points => points.Length == 1), "U1.C1");
        Assert.Equal("c1", cell.GetProperty("triggerEventId").GetString());
        Assert.Equal(0, (await GetAsync("/v1/admin/jobs")).GetProperty("dead").GetInt64());
    }

    [SkippableFact]
    public async Task Issue_10_a_start_and_a_completion_in_the_same_second_are_decided_by_arrival_in_cells_drill_down_and_timeline()
    {
        // U2.C2: green within 300 s of the latest start before the completion; a completion with no start before it is yellow.
        // Every id sorts (as text) against its arrival, so the old eventId rule would give each player the other colour.
        using (var group = await _server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken,
            JsonSerializer.Serialize(new { id = "ties", org = TestServer.Org, name = "Ties", game = "mhs", teachers = new[] { "t-1" } })))
        {
            Assert.Equal(HttpStatusCode.Created, group.StatusCode);
        }
        using (var members = await _server.SendAsync(HttpMethod.Put, "/v1/groups/ties/members", TestServer.AdminToken,
            JsonSerializer.Serialize(new[] { new { playerId = Player }, new { playerId = "max@school.example" }, new { playerId = "cy@school.example" } })))
        {
            Assert.Equal(HttpStatusCode.OK, members.StatusCode);
        }
        // Lea: one request, the start first in the array.
        await SendAsync(DialogueEvent("tie-9", Player, 50, 20, 1), DialogueEvent("tie-10", Player, 50, 20, 26));
        // Max: the completion in one request, the start in the next, in the same second.
        await SendAsync(DialogueEvent("tie-2", "max@school.example", 50, 20, 26));
        await SendAsync(DialogueEvent("tie-1", "max@school.example", 50, 20, 1));
        // Cy: two sources send the same (timestamp, eventId): the start arrives first.
        var cyStart = DialogueEvent("same", "cy@school.example", 50, 20, 1);
        cyStart["source"] = "mhs-unity";
        var cyDone = DialogueEvent("same", "cy@school.example", 50, 20, 26);
        cyDone["source"] = "mhs-web";
        await SendAsync(cyStart, cyDone);
        await PollAsync("/v1/admin/jobs", j => j.GetProperty("pending").GetInt64() == 0 && j.GetProperty("leased").GetInt64() == 0);
        var lea = await _server.PlayerKeyAsync(Player);
        var max = await _server.PlayerKeyAsync("max@school.example");
        var cy = await _server.PlayerKeyAsync("cy@school.example");

        async Task<(string?, double?, string?)> CellAsync(string playerKey)
        {
            var cell = Point(await GetAsync($"/v1/players/{playerKey}/progress?game=mhs"), "U2.C2");
            double? duration = cell.TryGetProperty("durationSeconds", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;
            return (cell.GetProperty("status").GetString(), duration,
                cell.GetProperty("triggerEventId").GetString());
        }
        async Task<string?> DrilledStartAsync(string playerKey)
        {
            var drill = await GetAsync($"/v1/groups/ties/players/{playerKey}/points/U2.C2");
            return drill.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.Object ? start.GetProperty("eventId").GetString() : null;
        }
        async Task<string[]> TimelineAsync(string playerKey) =>
            [.. (await GetAsync($"/v1/players/{playerKey}/events")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()
                + "/" + e.GetProperty("data").GetProperty("nodeId").GetInt32())];

        Assert.Equal(("green", 0, "tie-10"), await CellAsync(lea));
        Assert.Equal(("yellow", null, "tie-2"), await CellAsync(max));
        Assert.Equal(("green", 0, "same"), await CellAsync(cy));
        Assert.Equal("tie-9", await DrilledStartAsync(lea));
        Assert.Null(await DrilledStartAsync(max));
        Assert.Equal("same", await DrilledStartAsync(cy));
        Assert.Equal(["tie-10/26", "tie-9/1"], await TimelineAsync(lea));
        Assert.Equal(["tie-1/1", "tie-2/26"], await TimelineAsync(max));
        Assert.Equal(["same/26", "same/1"], await TimelineAsync(cy));
    }
}
