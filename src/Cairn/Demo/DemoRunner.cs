using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cairn.Access;
using Cairn.Ingest;
using Cairn.Storage;

namespace Cairn.Demo;

/// <summary>
/// <c>cairn serve --demo</c>: first sends the server a batch in each dialect over HTTP (canonical, legacy
/// MongoDB, snake_case LMS, and broken ones) and prints what Cairn made of them; then seats a fresh class of
/// 25 students on the MHS catalog and starts the simulator, so the class matrix fills in live; when the class has
/// finished, a new one takes its seats, round after round, until the server stops.
/// </summary>
internal static class DemoRunner
{
    public const string Org = "demo";
    public const string Game = "mhs";
    public const string GroupId = "demo-class";
    private const int ClassSize = 25;

    /// <returns>The running simulation (it ends with the server).</returns>
    /// <param name="speed">Game seconds per real second.</param>
    public static async Task<Task> RunAsync(
        WebApplication app, Uri address, TextWriter output, string signInHint, CancellationToken cancellationToken, double speed = 30)
    {
        await ShowDialectsAsync(app, address, output, cancellationToken);
        return await StartClassAsync(app, address, output, signInHint, speed, cancellationToken);
    }

    private static async Task<Task> StartClassAsync(
        WebApplication app, Uri address, TextWriter output, string signInHint, double speed, CancellationToken cancellationToken)
    {
        var catalog = app.Services.GetRequiredService<Catalogs.CatalogRegistry>().Current.For(Game);
        if (catalog is null)
        {
            output.WriteLine($"Demo: no catalog for '{Game}' in the catalogs directory, so no class simulation (run from the repository root).");
            return Task.CompletedTask;
        }
        var store = app.Services.GetRequiredService<IGroupStore>();
        var earlier = await store.GetGroupAsync(Org, GroupId, cancellationToken);
        await store.UpsertGroupAsync(new GroupRecord(GroupId, Org, "Demo class 7B", Game, ["t-demo"]), cancellationToken);
        // Every run, and every round of a run, seats students no earlier one had (the run's start time is in their ids),
        // so the class always starts white and fills in, even over a data directory an earlier demo left full.
        var run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = await SeatClassAsync(app, store, catalog, run, round: 1, cancellationToken);
        var (_, key) = await app.Services.GetRequiredService<ApiKeys>().CreateIngestKeyAsync(Org, Game, cancellationToken);
        var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        output.WriteLine();
        if (earlier is not null)
        {
            output.WriteLine($"Demo: '{GroupId}' is left from an earlier demo in this data directory; a fresh class replaces its students " +
                "(their events stay in the store).");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Demo: round 1: a class of {ClassSize} students is playing MHS now ({speed}x game speed). Watch it fill in:"));
        output.WriteLine($"  {address}groups/{GroupId}");
        output.WriteLine($"  sign in with {signInHint}");
        output.WriteLine($"  The game's page (playing now, achievements, the class leaderboard): {address}games/{Game}?org={Org}");
        output.WriteLine($"  When every student has finished, a new class of {ClassSize} takes their seats and starts over " +
            "(an open page reloads itself for them), until Ctrl+C.");
        return Task.Run(async () =>
        {
            using (http)
            {
                var students = first;
                try
                {
                    for (var round = 1; !cancellationToken.IsCancellationRequested; round++)
                    {
                        if (round > 1)
                        {
                            students = await SeatClassAsync(app, store, catalog, run, round, cancellationToken);
                            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"Demo: round {round}: everyone finished round {round - 1}; a new class of {ClassSize} students starts over in {GroupId}."));
                        }
                        var simulator = new Simulator(http, catalog, students, new SimClock(speed, TimeProvider.System), output, seed: Seed(run, round));
                        await simulator.RunAsync(null, cancellationToken);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The server is stopping.
                }
            }
        }, CancellationToken.None);
    }

    private static int Seed(long run, int round) => (int)((run + round) % int.MaxValue);

    /// <summary>Makes a new class of students (names and ids of this run and round) the demo class's roster.</summary>
    private static async Task<IReadOnlyList<SimStudent>> SeatClassAsync(
        WebApplication app, IGroupStore store, Catalogs.GameCatalog catalog, long run, int round, CancellationToken cancellationToken)
    {
        var playerKeys = app.Services.GetRequiredService<Identity.PlayerKeys>();
        var tag = string.Create(CultureInfo.InvariantCulture, $"+r{run:x}.{round}");
        var students = SimStudent.Class(ClassSize, Seed(run, round), catalog.Points.Count, tag);
        await store.ReplaceMembersAsync(GroupId, Org,
            students.Select(s => new DirectoryEntry(Org, playerKeys.Compute(Org, s.PlayerId), s.PlayerId)).ToList(),
            students.Select(s => (string?)s.DisplayName).ToList(), lockNames: true, cancellationToken);
        return students;
    }

    private static async Task ShowDialectsAsync(WebApplication app, Uri address, TextWriter output, CancellationToken cancellationToken)
    {
        var keys = app.Services.GetRequiredService<ApiKeys>();
        var (_, key) = await keys.CreateIngestKeyAsync(Org, Game, cancellationToken);
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        output.WriteLine();
        output.WriteLine($"Demo: created ingest key for org '{Org}', game '{Game}':");
        output.WriteLine($"  {key}");
        var now = DateTimeOffset.UtcNow;
        var run = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var batch = $$$"""
            [
              {"eventId": "demo-{{{run}}}-1", "eventType": "DialogueEvent", "timestamp": "{{{Time(now, -50)}}}", "game": "mhs",
               "playerId": "Alice.Example@school.example", "sessionId": "s-1",
               "data": {"dialogueEventType": "DialogueNodeEvent", "conversationId": 20, "nodeId": 1},
               "device": {"platform": "WebGL", "browser": "Chrome"}, "context": {"classId": "c-7"}},
              {"_id": {"$oid": "demo{{{run}}}2"}, "game": "mhs", "player_id": "alice.example@school.example",
               "timestamp": "{{{Time(now, -40)}}}", "event_type": "DialogueEvent",
               "event_data": "{\"dialogueEventType\":\"DialogueNodeEvent\",\"conversationId\":\"20\",\"nodeId\":\"26\"}",
               "device_info": [{"Key": "platform", "Value": "WindowsEditor"}, {"Key": "browser", "Value": "WebGL_Browser"}]},
              {"event_id": "demo-{{{run}}}-3", "event_type": "quest_finish", "timestamp": "{{{Time(now, -30)}}}",
               "user_id": "bo.student@school.example", "organization_id": "someone-else", "session_id": "s-2",
               "device_info": {"platform": "desktop", "version": 120}, "context": {"class_id": "c-7", "assignment_id": "a-3"},
               "properties": {"questId": 21, "score": 87, "remote_addr": "192.0.2.10"}},
              {"eventId": "demo-{{{run}}}-1", "eventType": "DialogueEvent", "timestamp": "{{{Time(now, -50)}}}", "game": "mhs",
               "playerId": "Alice.Example@school.example", "data": {}},
              {"eventId": "demo-{{{run}}}-5", "eventType": "DialogueEvent", "timestamp": "yesterday", "game": "waves",
               "playerId": "carmen@school.example"}
            ]
            """;
        using var response = await http.PostAsync("/v1/events", new StringContent(batch, Encoding.UTF8, "application/json"), cancellationToken);
        var result = await response.Content.ReadFromJsonAsync<IngestResponse>(cancellationToken);
        output.WriteLine();
        output.WriteLine($"Demo: POST /v1/events with 5 events in three dialects -> {(int)response.StatusCode}: " +
            $"{result!.Accepted} accepted, {result.Duplicates} duplicate, {result.Rejected} rejected");
        foreach (var r in result.Results)
        {
            output.WriteLine($"  [{r.Index}] {r.Status,-9} {r.EventId}");
            foreach (var note in r.Normalized ?? [])
            {
                output.WriteLine($"        normalized: {note}");
            }
            foreach (var error in r.Errors ?? [])
            {
                output.WriteLine($"        error: {error.Path} {error.Code}: {error.Message}");
            }
        }

        var playerKey = app.Services.GetRequiredService<Identity.PlayerKeys>().Compute(Org, "alice.example@school.example");
        var timeline = await app.Services.GetRequiredService<IEventLog>()
            .GetTimelineAsync(new TimelineQuery(playerKey, null, null, 5, null), cancellationToken);
        output.WriteLine();
        output.WriteLine($"Demo: Alice is stored as {playerKey} (her address is only in the player directory). Her timeline:");
        foreach (var e in timeline.Items)
        {
            output.WriteLine($"  {e.Timestamp:HH:mm:ss} {e.EventType} {e.Data.GetRawText()}");
        }
        output.WriteLine();
        output.WriteLine("Try it yourself (ADMIN_TOKEN is the admin token):");
        output.WriteLine($"  curl -s {address}v1/players/{playerKey}/events -H \"Authorization: Bearer $ADMIN_TOKEN\"");
        output.WriteLine($"  curl -s {address}v1/admin/rejected -H \"Authorization: Bearer $ADMIN_TOKEN\"");
        output.WriteLine($"  curl -s {address}v1/events -H \"Authorization: Bearer {key}\" -H 'Content-Type: application/json' \\");
        output.WriteLine($"       -d '{{\"eventId\":\"my-1\",\"eventType\":\"Hello\",\"timestamp\":\"{Time(DateTimeOffset.UtcNow, 0)}\",\"playerId\":\"me\"}}'");
    }

    private static string Time(DateTimeOffset now, int seconds) =>
        now.AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss.ff'Z'", CultureInfo.InvariantCulture);
}
