using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Rollups;

/// <summary>
/// A class of five students on a running server, with LMS assignments, grades and a game quest timed relative to
/// <see cref="Now"/> so that each risk rule has one student it fires for and others it does not:
/// ana (steady, no flag), ben (score down 85 → 50; asg-3 still within the grace period), cy (two missing, low completion),
/// dee (nothing for 9½ days: inactive), eli (a quest started 5 days ago, never finished: stuck).
/// </summary>
internal sealed class RiskClass(TestServer server, DateTimeOffset now)
{
    public const string Game = "lms";
    public const string GroupId = "class-7b";

    public static readonly string Catalog = """
        game: lms
        title: LMS class
        mastery:
          params: { prior: 0.3, learn: 0.2, guess: 0.25, slip: 0.1 }
          threshold: 70
        points:
          - id: quest
            title: The quest
            start: { eventType: QuestStart }
            complete: { eventType: QuestEnd }
        """;

    public static readonly (string Id, string Name)[] Students =
        [("ana@school.example", "Ana"), ("ben@school.example", "Ben"), ("cy@school.example", "Cy"), ("dee@school.example", "Dee"), ("eli@school.example", "Eli")];

    /// <summary>Every LMS event: student, assignment, type, days before now, score (null: not graded), standards.</summary>
    public static readonly (string Student, string Assignment, string Type, double DaysAgo, double? Score, string[] Standards)[] Lms =
    [
        ("ana@school.example", "asg-1", "ASSIGNMENT_ASSIGNED", 10, null, ["NF.1"]),
        ("ana@school.example", "asg-1", "SUBMISSION_GRADED", 9, 90, ["NF.1"]),
        ("ana@school.example", "asg-2", "ASSIGNMENT_ASSIGNED", 6, null, ["NF.1", "NF.2"]),
        ("ana@school.example", "asg-2", "SUBMISSION_GRADED", 5, 85, ["NF.1", "NF.2"]),
        ("ana@school.example", "asg-3", "ASSIGNMENT_ASSIGNED", 2, null, ["NF.2"]),
        ("ana@school.example", "asg-3", "SUBMISSION_GRADED", 1, 80, ["NF.2"]),
        ("ben@school.example", "asg-1", "ASSIGNMENT_ASSIGNED", 10, null, ["NF.1"]),
        ("ben@school.example", "asg-1", "SUBMISSION_GRADED", 9, 85, ["NF.1"]),
        ("ben@school.example", "asg-2", "ASSIGNMENT_ASSIGNED", 6, null, ["NF.1", "NF.2"]),
        ("ben@school.example", "asg-2", "SUBMISSION_GRADED", 5, 50, ["NF.1", "NF.2"]),
        ("ben@school.example", "asg-3", "ASSIGNMENT_ASSIGNED", 2, null, ["NF.2"]),
        ("cy@school.example", "asg-1", "ASSIGNMENT_ASSIGNED", 10, null, ["NF.1"]),
        ("cy@school.example", "asg-2", "ASSIGNMENT_ASSIGNED", 6, null, ["NF.1", "NF.2"]),
        ("cy@school.example", "asg-3", "ASSIGNMENT_ASSIGNED", 2, null, ["NF.2"]),
        ("cy@school.example", "asg-3", "SUBMISSION_GRADED", 1, 70, ["NF.2"]),
        ("dee@school.example", "asg-1", "ASSIGNMENT_ASSIGNED", 10, null, ["NF.1"]),
        ("dee@school.example", "asg-1", "SUBMISSION_GRADED", 9.5, 60, ["NF.1"]),
        ("eli@school.example", "asg-1", "ASSIGNMENT_ASSIGNED", 1.5, null, ["NF.1"]),
        ("eli@school.example", "asg-1", "SUBMISSION_GRADED", 1, 75, ["NF.1"]),
    ];

    public TestServer Server { get; } = server;

    public DateTimeOffset Now { get; } = now;

    public Dictionary<string, string> Keys { get; } = [];

    public static async Task<RiskClass> StartAsync(Func<IReadOnlyDictionary<string, string?>, IReadOnlyDictionary<string, string>, Task<TestServer>> start)
    {
        var server = await start(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, new Dictionary<string, string> { ["lms.yaml"] = Catalog });
        var world = new RiskClass(server, DateTimeOffset.UtcNow);
        try
        {
            await world.SetUpAsync();
            return world;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync()
    {
        await SendOkAsync(HttpMethod.Post, "/v1/groups",
            JsonSerializer.Serialize(new { id = GroupId, org = TestServer.Org, name = "Class 7B", game = Game, teachers = new[] { "t1" } }), HttpStatusCode.Created);
        await ReplaceRosterAsync(Students.Select(s => s.Id));
        foreach (var (id, _) in Students)
        {
            Keys[id] = await Server.PlayerKeyAsync(id);
        }
        var key = await Server.CreateIngestKeyAsync(TestServer.Org, Game);
        var events = new List<JsonObject>();
        var n = 0;
        foreach (var e in Lms)
        {
            var body = new JsonObject
            {
                ["event_id"] = $"lms-{n++}",
                ["source"] = "canvas",
                ["timestamp"] = Stamp(Now.AddDays(-e.DaysAgo)),
                ["student_id"] = e.Student,
                ["class_id"] = GroupId,
                ["assignment_id"] = e.Assignment,
                ["standard_ids"] = new JsonArray([.. e.Standards.Select(s => (JsonNode)s)]),
                ["type"] = e.Type,
            };
            if (e.Score is { } score)
            {
                body["score"] = score;
            }
            events.Add(body);
        }
        events.Add(Game_("quest-start", "eli@school.example", "QuestStart", 5));
        using var response = await Server.PostEventsAsync(Events.Array([.. events]), key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.All(JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal("accepted", r.GetProperty("status").GetString()));
    }

    private JsonObject Game_(string id, string student, string type, double daysAgo) => new()
    {
        ["eventId"] = id,
        ["eventType"] = type,
        ["timestamp"] = Stamp(Now.AddDays(-daysAgo)),
        ["game"] = Game,
        ["playerId"] = student,
        ["data"] = new JsonObject(),
    };

    public Task ReplaceRosterAsync(IEnumerable<string> ids) =>
        SendOkAsync(HttpMethod.Put, $"/v1/groups/{GroupId}/members",
            JsonSerializer.Serialize(ids.Select(id => new { playerId = id, displayName = Students.Single(s => s.Id == id).Name })), HttpStatusCode.OK);

    private async Task SendOkAsync(HttpMethod method, string path, string body, HttpStatusCode expected)
    {
        using var response = await Server.SendAsync(method, path, TestServer.AdminToken, body);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public async Task<JsonElement> DashboardAsync()
    {
        using var response = await Server.GetAsAdminAsync($"/v1/groups/{GroupId}/dashboard");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads the dashboard until the condition holds (jobs run in the background; the CI machine is slow).</summary>
    public async Task<JsonElement> DashboardUntilAsync(Func<JsonElement, bool> until, string what, double seconds = 30)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var body = await DashboardAsync();
            if (until(body))
            {
                return body;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"the dashboard never showed {what}: {body}");
            await Task.Delay(100);
        }
    }

    /// <summary>The expected numbers, computed here from <see cref="Lms"/> (the latest grade of a student's assignment counts).</summary>
    public static (int Assigned, int Graded, double Average, Dictionary<string, (int Assigned, int Graded, double? Average)> PerAssignment) Expected(IEnumerable<string> students)
    {
        var set = students.ToHashSet();
        var pairs = Lms.Where(e => set.Contains(e.Student)).GroupBy(e => (e.Student, e.Assignment))
            .Select(g => (g.Key.Assignment, Score: g.Where(e => e.Score is not null).OrderBy(e => -e.DaysAgo).Select(e => e.Score).LastOrDefault()))
            .ToList();
        var graded = pairs.Where(p => p.Score is not null).ToList();
        var perAssignment = pairs.GroupBy(p => p.Assignment).ToDictionary(g => g.Key,
            g => (g.Count(), g.Count(p => p.Score is not null), g.Any(p => p.Score is not null) ? g.Where(p => p.Score is not null).Average(p => p.Score!.Value) : (double?)null));
        return (pairs.Count, graded.Count, graded.Average(p => p.Score!.Value), perAssignment);
    }
}
