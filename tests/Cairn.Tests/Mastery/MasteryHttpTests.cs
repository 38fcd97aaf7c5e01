using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>
/// LMS grades and game events in over HTTP, the server's own worker, mastery rows and their explanation out; a subclass
/// per store says how to start the server.
/// </summary>
public abstract class MasteryHttpTests : IAsyncLifetime
{
    private const string Game = "lms";
    private const string Student = "stu-42";

    // Parameters chosen so a hand computation is easy to follow.
    private const double Prior = 0.3, Learn = 0.2, Guess = 0.25, Slip = 0.1;

    private static readonly string Catalog = """
        game: lms
        mastery:
          params: { prior: 0.3, learn: 0.2, guess: 0.25, slip: 0.1 }
          threshold: 70
          standards:
            HARD.1: { threshold: 90 }
        """;

    private static readonly DateTimeOffset T0 = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private TestServer _server = null!;
    private string _key = null!;

    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, new Dictionary<string, string> { ["lms.yaml"] = Catalog });
        _key = await _server.CreateIngestKeyAsync(TestServer.Org, Game);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject Lms(string id, int minute, string[] standards, double? score, string? type = null, double? max = null, string source = "canvas")
    {
        var e = new JsonObject
        {
            ["event_id"] = id,
            ["source"] = source,
            ["timestamp"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["student_id"] = Student,
            ["class_id"] = "class-7b",
            ["assignment_id"] = "asg-" + id,
            ["standard_ids"] = new JsonArray([.. standards.Select(s => (JsonNode)s)]),
        };
        if (score is { } s)
        {
            e["score"] = s;
        }
        if (max is { } m)
        {
            e["max_score"] = m;
        }
        if (type is not null)
        {
            e["type"] = type;
        }
        return e;
    }

    private async Task<string[]> SendAsync(params JsonObject[] events)
    {
        using var response = await _server.PostEventsAsync(Events.Array(events), _key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];
    }

    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _server.GetAsAdminAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads the player's mastery until the condition holds (the worker runs in the background).</summary>
    private async Task<JsonElement[]> StandardsAsync(string playerKey, Func<JsonElement[], bool> until)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var body = await GetAsync($"/v1/players/{playerKey}/mastery");
            var standards = body.GetProperty("standards").EnumerateArray().ToArray();
            if (until(standards))
            {
                return standards;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"mastery never got there: {body}");
            await Task.Delay(25);
        }
    }

    private static JsonElement Row(JsonElement[] standards, string id) => standards.Single(s => s.GetProperty("standardId").GetString() == id);

    private static int Observations(JsonElement[] standards, string id) =>
        standards.FirstOrDefault(s => s.GetProperty("standardId").GetString() == id) is { ValueKind: JsonValueKind.Object } row ? row.GetProperty("observations").GetInt32() : 0;

    /// <summary>BKT by hand: the chance of a correct answer, then Bayes on the answer, then the chance to learn.</summary>
    private static (double PCorrect, double After) Step(double p, bool correct)
    {
        var pCorrect = p * (1 - Slip) + (1 - p) * Guess;
        var posterior = correct ? p * (1 - Slip) / pCorrect : p * Slip / (p * Slip + (1 - p) * (1 - Guess));
        return (pCorrect, posterior + (1 - posterior) * Learn);
    }

    [SkippableFact]
    public async Task Issue_12_lms_grades_become_mastery_rows_and_the_explanation_matches_a_hand_computation()
    {
        // Sent out of order: the replay follows event time. 85 and 90 % count as correct, 60 % as wrong (threshold 70 %).
        var statuses = await SendAsync(
            Lms("g-3", 30, ["NF.1"], 9, max: 10),
            Lms("g-1", 10, ["NF.1", "NF.2"], 85, "SUBMISSION_GRADED"),
            Lms("a-1", 0, ["NF.1", "NF.3"], null),
            Lms("s-1", 5, ["NF.1"], null, "SUBMISSION_CREATED"),
            Lms("g-2", 20, ["NF.1"], 60));
        Assert.All(statuses, s => Assert.Equal("accepted", s));
        var playerKey = await _server.PlayerKeyAsync(Student);

        var standards = await StandardsAsync(playerKey, s => Observations(s, "NF.1") == 3 && Observations(s, "NF.2") == 1);

        // Assigned and submitted-but-ungraded events are no evidence: NF.3 has no row.
        Assert.Equal(["NF.1", "NF.2"], standards.Select(s => s.GetProperty("standardId").GetString()));
        var (c1, p1) = Step(Prior, true);
        var (c2, p2) = Step(p1, false);
        var (c3, p3) = Step(p2, true);
        var nf1 = Row(standards, "NF.1");
        Assert.Equal(p3, nf1.GetProperty("pMastery").GetDouble(), 9);
        Assert.Equal(2, nf1.GetProperty("correct").GetInt32());
        Assert.Equal((85 + 60 + 90) / 3.0, nf1.GetProperty("meanScore").GetDouble(), 9);
        Assert.Equal(90, nf1.GetProperty("latestScore").GetDouble(), 9);
        Assert.Equal(T0.AddMinutes(30), nf1.GetProperty("lastAt").GetDateTimeOffset());
        Assert.Equal("g-3", nf1.GetProperty("lastEventId").GetString());
        Assert.Equal(p3 >= 0.8 ? "proficient" : p3 >= 0.5 ? "familiar" : "attempted", nf1.GetProperty("level").GetString());
        Assert.StartsWith("catalog:", nf1.GetProperty("parameterVersion").GetString(), StringComparison.Ordinal);
        Assert.Equal(Step(Prior, true).After, Row(standards, "NF.2").GetProperty("pMastery").GetDouble(), 9);

        var explain = await GetAsync($"/v1/players/{playerKey}/mastery/NF.1");

        Assert.Equal(Game, explain.GetProperty("game").GetString());
        var parameters = explain.GetProperty("parameters");
        Assert.Equal((Prior, Learn, Guess, Slip, 0.0, 70.0), (parameters.GetProperty("prior").GetDouble(), parameters.GetProperty("learn").GetDouble(),
            parameters.GetProperty("guess").GetDouble(), parameters.GetProperty("slip").GetDouble(), parameters.GetProperty("forget").GetDouble(),
            parameters.GetProperty("threshold").GetDouble()));
        Assert.Equal(nf1.GetProperty("parameterVersion").GetString(), parameters.GetProperty("version").GetString());
        var observations = explain.GetProperty("observations").EnumerateArray().ToArray();
        Assert.Equal(["g-1", "g-2", "g-3"], observations.Select(o => o.GetProperty("eventId").GetString()));
        Assert.Equal([true, false, true], observations.Select(o => o.GetProperty("correct").GetBoolean()));
        Assert.Equal([85.0, 60.0, 90.0], observations.Select(o => o.GetProperty("score").GetDouble()));
        Assert.Equal([T0.AddMinutes(10), T0.AddMinutes(20), T0.AddMinutes(30)], observations.Select(o => o.GetProperty("at").GetDateTimeOffset()));
        double[] pCorrect = [c1, c2, c3], after = [p1, p2, p3];
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(pCorrect[i], observations[i].GetProperty("pCorrectBefore").GetDouble(), 9);
            Assert.Equal(after[i], observations[i].GetProperty("pMasteryAfter").GetDouble(), 9);
        }
        Assert.Equal(p3, explain.GetProperty("pMastery").GetDouble(), 9);
        Assert.Equal(p3, explain.GetProperty("row").GetProperty("pMastery").GetDouble(), 9);
        // The student's raw id is in the directory only; the LMS fields are kept in the events' data.
        Assert.All(_server.Sql.AllCells().Where(c => c.Text.Contains(Student, StringComparison.Ordinal)), c => Assert.Equal("players", c.Table));
        Assert.Equal(5, _server.Sql.Scalar("SELECT COUNT(*) FROM events WHERE data LIKE '%class-7b%'".Replace("data LIKE", _server.Sql.IsPostgres ? "data::text LIKE" : "data LIKE", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task Issue_12_a_repeated_lms_event_is_a_duplicate_and_counts_once()
    {
        Assert.Equal(["accepted"], await SendAsync(Lms("g-1", 10, ["NF.1"], 85)));
        var playerKey = await _server.PlayerKeyAsync(Student);
        await StandardsAsync(playerKey, s => Observations(s, "NF.1") == 1);

        // The same (source, event_id) again, even with another score, is a duplicate; the same id from another source is not.
        Assert.Equal(["duplicate", "duplicate"], await SendAsync(Lms("g-1", 10, ["NF.1"], 85), Lms("g-1", 12, ["NF.1"], 10)));
        Assert.Equal(["accepted"], await SendAsync(Lms("g-1", 15, ["NF.1"], 40, source: "schoology")));

        var standards = await StandardsAsync(playerKey, s => Observations(s, "NF.1") == 2);
        Assert.Equal(1, Row(standards, "NF.1").GetProperty("correct").GetInt32());
        var explain = await GetAsync($"/v1/players/{playerKey}/mastery/NF.1");
        Assert.Equal([85.0, 40.0], explain.GetProperty("observations").EnumerateArray().Select(o => o.GetProperty("score").GetDouble()));
    }

    [SkippableFact]
    public async Task Issue_12_game_stage_and_concept_events_are_evidence_and_per_standard_thresholds_apply()
    {
        JsonObject GameEvent(string id, string type, int minute, JsonObject data) => new()
        {
            ["eventId"] = id, ["eventType"] = type, ["playerId"] = Student, ["game"] = Game,
            ["timestamp"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ["data"] = data,
        };

        await SendAsync(
            // 'passed' decides over the score; without it the score meets the standard's threshold (HARD.1: 90 %) or not.
            GameEvent("e-1", "game_stage_complete", 1, new JsonObject { ["concept_tags"] = new JsonArray("treble_staff", "HARD.1"), ["score"] = 87, ["max_score"] = 100, ["passed"] = false }),
            GameEvent("e-2", "game_stage_complete", 2, new JsonObject { ["concept_tags"] = new JsonArray("HARD.1"), ["score"] = 87 }),
            GameEvent("e-3", "concept_mastered", 3, new JsonObject { ["concept_tags"] = new JsonArray("treble_staff") }),
            GameEvent("e-4", "game_stage_start", 4, new JsonObject { ["concept_tags"] = new JsonArray("treble_staff") }));
        var playerKey = await _server.PlayerKeyAsync(Student);

        var standards = await StandardsAsync(playerKey, s => Observations(s, "treble_staff") == 2 && Observations(s, "HARD.1") == 2);

        Assert.Equal(1, Row(standards, "treble_staff").GetProperty("correct").GetInt32());
        Assert.Equal(0, Row(standards, "HARD.1").GetProperty("correct").GetInt32());
        var explain = await GetAsync($"/v1/players/{playerKey}/mastery/HARD.1");
        Assert.Equal(90, explain.GetProperty("parameters").GetProperty("threshold").GetDouble());
        var treble = await GetAsync($"/v1/players/{playerKey}/mastery/treble_staff?game={Game}");
        Assert.Equal(["game_stage_complete", "concept_mastered"], treble.GetProperty("observations").EnumerateArray().Select(o => o.GetProperty("eventType").GetString()));
    }

    [SkippableFact]
    public async Task Issue_12_a_changed_mastery_section_recomputes_the_rows_it_changes()
    {
        await SendAsync(Lms("g-1", 10, ["NF.1"], 85), Lms("g-2", 11, ["HARD.1"], 85));
        var playerKey = await _server.PlayerKeyAsync(Student);
        var before = await StandardsAsync(playerKey, s => Observations(s, "NF.1") == 1 && Observations(s, "HARD.1") == 1);
        var hardVersion = Row(before, "HARD.1").GetProperty("parameterVersion").GetString();

        // A new game prior: every row is recomputed with it, HARD.1 (which has only a threshold of its own) too.
        await File.WriteAllTextAsync(Path.Combine(_server.CatalogsDirectory, "lms.yaml"), Catalog.Replace("prior: 0.3", "prior: 0.5", StringComparison.Ordinal));

        var after = await StandardsAsync(playerKey, s => Row(s, "NF.1").GetProperty("parameterVersion").GetString() != Row(before, "NF.1").GetProperty("parameterVersion").GetString()
            && Row(s, "HARD.1").GetProperty("parameterVersion").GetString() != hardVersion);
        var p = 0.5 * (1 - Slip) / (0.5 * (1 - Slip) + 0.5 * Guess);
        Assert.Equal(p + (1 - p) * Learn, Row(after, "NF.1").GetProperty("pMastery").GetDouble(), 9);
        Assert.StartsWith("catalog:", Row(after, "NF.1").GetProperty("parameterVersion").GetString(), StringComparison.Ordinal);
        var q = 0.5 * Slip / (0.5 * Slip + 0.5 * (1 - Guess));
        Assert.Equal(q + (1 - q) * Learn, Row(after, "HARD.1").GetProperty("pMastery").GetDouble(), 9);
    }

    [SkippableFact]
    public async Task Issue_12_mastery_reads_answer_400_for_bad_input_and_404_for_what_is_not_there()
    {
        await SendAsync(Lms("g-1", 10, ["NF.1"], 85));
        var playerKey = await _server.PlayerKeyAsync(Student);
        await StandardsAsync(playerKey, s => Observations(s, "NF.1") == 1);

        await GetAsync($"/v1/players/not-a-key/mastery", HttpStatusCode.BadRequest);
        await GetAsync($"/v1/players/{playerKey}/mastery?game=bad%20game", HttpStatusCode.BadRequest);
        await GetAsync($"/v1/players/{playerKey}/mastery/NO.SUCH", HttpStatusCode.NotFound);
        using var rejected = await _server.PostEventsAsync(Events.Array(Lms("g-9", 10, ["NF.1"], 150)), _key);
        var body = await rejected.Content.ReadAsStringAsync();
        Assert.Contains("out_of_range", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Student, body, StringComparison.Ordinal);
    }
}
