using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Catalogs;
using Cairn.Progress;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cairn.Tests.ScaleOut;

/// <summary>
/// Two <c>cairn serve</c> nodes and two <c>cairn worker</c> processes on one PostgreSQL database, driven by several
/// clients that retry unanswered requests (same event ids) against the other node.
/// </summary>
public sealed partial class ScaleOutTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Org = TestServer.Org;
    private const string Game = "mhs";

    [GeneratedRegex(@"Job (\d+) version (\d+) (started|finished) by (\S+) at (\d+)")]
    private static partial Regex JobRun();

    [SkippableFact]
    public async Task Two_nodes_and_two_workers_store_each_event_once_run_no_job_twice_at_once_and_match_a_recompute()
    {
        await using var database = await postgres.CreateDatabaseAsync();
        using var root = new TempDirectory();
        var catalogs = Path.Combine(SharedData.RepositoryRoot(), "catalogs");
        var environment = new Dictionary<string, string>
        {
            ["CAIRN_STORE"] = database.ConnectionString,
            ["CAIRN_Logging__LogLevel__Cairn.Jobs.JobRunner"] = "Debug",
            ["CAIRN_Jobs__PollMilliseconds"] = "100",
        };
        var processes = new List<CairnProcess>();
        try
        {
            // Start one node first so the schema is migrated once, then the others in parallel.
            processes.Add(await CairnProcess.StartAsync(root.Combine("node1"), ["--catalogs", catalogs], environment));
            processes.AddRange(await Task.WhenAll(
                CairnProcess.StartAsync(root.Combine("node2"), ["--catalogs", catalogs], environment),
                CairnProcess.StartWorkerAsync(root.Combine("worker1"), ["--catalogs", catalogs, "--workers", "2"], environment),
                CairnProcess.StartWorkerAsync(root.Combine("worker2"), ["--catalogs", catalogs, "--workers", "2"], environment)));
            var nodes = new[] { processes[0], processes[1] };
            var key = await CreateKeyAsync(nodes[0]);

            var (sent, completions) = Scenario(players: 30, seed: 11);
            var acknowledged = await DriveAsync(nodes, key, sent, clients: 4, seed: 5);

            await using var store = Cairn.Hosting.CairnConfiguration.CreateStore(new StorageOptions { Store = database.ConnectionString });
            Assert.Equal(sent.Count, acknowledged.Count);
            Assert.Equal(sent.Count, await store.Events.CountEventsAsync(Org, CancellationToken.None));
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var duplicates = new NpgsqlCommand("SELECT COUNT(*) FROM (SELECT event_id FROM events GROUP BY org_id, source, event_id HAVING COUNT(*) > 1) d;", connection);
                Assert.Equal(0L, (long)(await duplicates.ExecuteScalarAsync())!);
            }
            await WaitForJobsAsync(store);
            Assert.Equal(0, (await store.Jobs.CountJobsAsync(CancellationToken.None)).Dead);

            // Every progress row equals a from-scratch recompute from the stored history, and every completion had its effect.
            var registry = new CatalogRegistry(catalogs, NullLogger<CatalogRegistry>.Instance);
            registry.Reload();
            var catalog = registry.Current.For(Game)!;
            var keys = new Cairn.Identity.PlayerKeys(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);
            var rows = 0;
            foreach (var player in sent.Select(e => e["playerId"]!.GetValue<string>()).Distinct())
            {
                var playerKey = keys.Compute(Org, player);
                var stored = (await store.Progress().GetPlayerProgressAsync(playerKey, Game, CancellationToken.None)).ToDictionary(r => r.PointId);
                foreach (var point in catalog.Points)
                {
                    var history = await store.Events.GetHistoryAsync(Org, Game, playerKey, point.EventTypes.ToList(), CancellationToken.None);
                    var expected = ProgressCalculator.Compute(catalog, point, Org, playerKey, history, DateTimeOffset.UtcNow);
                    stored.TryGetValue(point.Id, out var actual);
                    Assert.Equal(expected is null, actual is null);
                    if (expected is not null)
                    {
                        rows++;
                        Assert.Equal((expected.Status, expected.Score, expected.Count, expected.CompletedAt, expected.TriggerEventId),
                            (actual!.Status, actual.Score, actual.Count, actual.CompletedAt, actual.TriggerEventId));
                    }
                }
                foreach (var point in completions[player])
                {
                    Assert.True(stored.ContainsKey(point), $"{player} completed {point} but has no row");
                }
            }
            Assert.True(rows > 30, $"only {rows} progress rows");

            // Live updates cross nodes: a change computed by a worker process reaches a stream on the other node.
            await CheckStreamAcrossNodesAsync(nodes, key);

            foreach (var process in processes)
            {
                await process.StopAsync();
            }
            AssertNoJobRanTwiceAtOnce(processes);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>Per player: a walk through some MHS points, with helps and a reset; returns the events and the points each player completes last.</summary>
    private static (List<JsonObject> Events, Dictionary<string, HashSet<string>> Completions) Scenario(int players, int seed)
    {
        var random = new Random(seed);
        var events = new List<JsonObject>();
        var completions = new Dictionary<string, HashSet<string>>();
        var t0 = DateTimeOffset.UtcNow.AddHours(-6);
        for (var p = 0; p < players; p++)
        {
            var player = $"student{p}@scale.example";
            var done = completions[player] = [];
            var t = t0.AddMinutes(random.Next(0, 30));
            JsonObject E(int conversation, int node) => new()
            {
                ["eventId"] = $"{player}-{events.Count}",
                ["eventType"] = "DialogueEvent",
                ["timestamp"] = (t = t.AddSeconds(random.Next(20, 200))).ToString("O"),
                ["playerId"] = player,
                ["data"] = new JsonObject { ["conversationId"] = conversation, ["nodeId"] = node },
            };
            events.Add(E(31, 29));
            done.Add("U1.C1");
            events.Add(E(30, 98));
            done.Add("U1.C2");
            events.Add(E(20, 1));
            events.Add(E(20, 26));
            done.Add("U2.C2");
            events.Add(E(20, 60));
            for (var h = random.Next(0, 3); h > 0; h--)
            {
                events.Add(E(20, 33));
            }
            events.Add(E(20, random.Next(2) == 0 ? 74 : 75));
            done.Add("U2.C7");
            if (p % 5 == 0)
            {
                var reset = new JsonObject
                {
                    ["eventId"] = $"{player}-reset",
                    ["eventType"] = "ProgressReset",
                    ["timestamp"] = (t = t.AddMinutes(1)).ToString("O"),
                    ["playerId"] = player,
                    ["data"] = new JsonObject { ["pointIds"] = new JsonArray("U1.C2") },
                };
                events.Add(reset);
                done.Remove("U1.C2");
            }
        }
        return (events, completions);
    }

    /// <summary>Clients send batches to alternating nodes; a request cut short is retried, same ids, on the other node.</summary>
    private static async Task<HashSet<string>> DriveAsync(CairnProcess[] nodes, string key, List<JsonObject> events, int clients, int seed)
    {
        var acknowledged = new HashSet<string>();
        var shuffled = events.OrderBy(_ => Guid.NewGuid()).ToList();
        var batches = shuffled.Chunk(25).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var random = new Random(seed + c);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches.Count)
            {
                var body = new JsonArray([.. batches[b].Select(e => e.DeepClone())]).ToJsonString();
                var node = random.Next(nodes.Length);
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 20, "a batch was never acknowledged");
                    // One request in five is abandoned before its answer: the client cannot know whether it was stored.
                    using var abandon = new CancellationTokenSource(attempt == 0 && random.Next(5) == 0 ? TimeSpan.FromMilliseconds(random.Next(1, 15)) : TimeSpan.FromSeconds(30));
                    try
                    {
                        using var content = new StringContent(body, Encoding.UTF8, "application/json");
                        using var response = await http.PostAsync(new Uri(nodes[node].Http.BaseAddress!, "/v1/events"), content, abandon.Token);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                            Assert.Equal(0, result.RootElement.GetProperty("rejected").GetInt32());
                            lock (acknowledged)
                            {
                                foreach (var r in result.RootElement.GetProperty("results").EnumerateArray())
                                {
                                    acknowledged.Add(r.GetProperty("eventId").GetString()!);
                                }
                            }
                            break;
                        }
                        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    node = (node + 1) % nodes.Length;
                }
            }
        }));
        return acknowledged;
    }

    private static async Task WaitForJobsAsync(Stores store)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var counts = await store.Jobs.CountJobsAsync(CancellationToken.None);
            if (counts.Pending == 0 && counts.Leased == 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"jobs still queued after 60 s: {counts}");
            await Task.Delay(100);
        }
    }

    private static async Task CheckStreamAcrossNodesAsync(CairnProcess[] nodes, string key)
    {
        using var admin = new HttpClient { BaseAddress = nodes[0].Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
        (await admin.PostAsync("/v1/groups", Json(new { id = "scale-class", org = Org, game = Game, name = "Scale" }))).EnsureSuccessStatusCode();
        (await admin.PutAsync("/v1/groups/scale-class/members", Json(new[] { new { playerId = "live@scale.example", displayName = "Live" } }))).EnsureSuccessStatusCode();

        using var streamClient = new HttpClient { BaseAddress = nodes[1].Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/groups/scale-class/progress/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
        using var response = await streamClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        using var ingest = new HttpClient { BaseAddress = nodes[0].Http.BaseAddress };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var completion = new { eventId = "live-1", eventType = "DialogueEvent", timestamp = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), playerId = "live@scale.example", data = new { conversationId = 31, nodeId = 29 } };
        (await ingest.PostAsync("/v1/events", Json(completion))).EnsureSuccessStatusCode();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"U1.C1\"", StringComparison.Ordinal))
            {
                Assert.Contains("\"green\"", line, StringComparison.Ordinal);
                return;
            }
        }
    }

    private static void AssertNoJobRanTwiceAtOnce(List<CairnProcess> processes)
    {
        var runs = new Dictionary<(long Job, string Worker, long Version), (long Start, long End)>();
        foreach (var process in processes)
        {
            foreach (Match match in JobRun().Matches(process.Output))
            {
                var id = (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[4].Value,
                    long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
                var ticks = long.Parse(match.Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture);
                runs.TryGetValue(id, out var run);
                runs[id] = match.Groups[3].Value == "started" ? (ticks, run.End) : (run.Start, ticks);
            }
        }
        Assert.NotEmpty(runs);
        Assert.True(runs.Keys.Select(r => r.Worker.Split(':')[1]).Distinct().Count() >= 2, "jobs ran in only one process");
        foreach (var job in runs.GroupBy(r => r.Key.Job))
        {
            var intervals = job.Select(r => r.Value).OrderBy(r => r.Start).ToList();
            Assert.All(intervals, i => Assert.True(i.End >= i.Start && i.End > 0, $"job {job.Key} has a start without an end"));
            for (var i = 1; i < intervals.Count; i++)
            {
                Assert.True(intervals[i].Start >= intervals[i - 1].End, $"job {job.Key} ran twice at the same time");
            }
        }
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static async Task<string> CreateKeyAsync(CairnProcess node)
    {
        using var admin = new HttpClient { BaseAddress = node.Http.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
        using var response = await admin.PostAsync("/v1/admin/keys", Json(new { org = Org, game = Game }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("key").GetString()!;
    }
}
