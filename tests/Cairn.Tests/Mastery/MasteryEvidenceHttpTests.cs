using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>
/// Issue 12: game learning events count for mastery as the catalog says (<c>mastery.evidence</c>: a point's colour, an
/// event pattern, a seed 001 stage; <c>mastery.concepts</c>); over HTTP with the server's worker, on each store.
/// </summary>
public abstract class MasteryEvidenceHttpTests : IAsyncLifetime
{
    private const string Game = "quest";
    private const double Prior = 0.3, Learn = 0.2, Guess = 0.25, Slip = 0.1;

    private static readonly string Catalog = """
        game: quest
        points:
          - id: L1
            complete: { eventType: LevelDone, data: { level: 1 } }
            count: { eventType: HintUsed, data: { level: 1 } }
            green: { count: { max: 1 } }
        mastery:
          params: { prior: 0.3, learn: 0.2, guess: 0.25, slip: 0.1 }
          evidence:
            - point: L1
              standards: [FR.1]
            - event: { eventType: QuizAnswer, data: { question: 7, outcome: wrong } }
              standards: [FR.2]
              correct: false
            - event: { eventType: QuizAnswer, data: { question: 7, outcome: right } }
              standards: [FR.2]
              correct: true
            - event: { eventType: game_stage_complete, data: { stage_id: G-01542-quiz } }
              standards: [MUS.1]
          concepts:
            treble_staff: [MUS.2]
        """;

    private static readonly DateTimeOffset T0 = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private TestServer _server = null!;
    private string _key = null!;

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs);

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, new Dictionary<string, string> { ["quest.yaml"] = Catalog });
        _key = await _server.CreateIngestKeyAsync(TestServer.Org, Game);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject Canonical(string id, string player, int minute, string type, JsonObject data) => new()
    {
        ["eventId"] = id,
        ["eventType"] = type,
        ["timestamp"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["game"] = Game,
        ["playerId"] = player,
        ["data"] = data,
    };

    /// <summary>A seed 001 event: snake_case envelope, its fields under <c>properties</c>.</summary>
    private static JsonObject Seed001(string id, string player, int minute, string type, JsonObject properties) => new()
    {
        ["event_id"] = id,
        ["event_type"] = type,
        ["timestamp"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["user_id"] = player,
        ["properties"] = properties,
    };

    private async Task SendAsync(params JsonObject[] events)
    {
        using var response = await _server.PostEventsAsync(Events.Array(events), _key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.All(JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("status").GetString() == "accepted", text));
    }

    private async Task<Dictionary<string, JsonElement>> RowsAsync(string player, Func<Dictionary<string, JsonElement>, bool> until)
    {
        var playerKey = await _server.PlayerKeyAsync(player);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await _server.GetAsAdminAsync($"/v1/players/{playerKey}/mastery");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var rows = JsonDocument.Parse(text).RootElement.GetProperty("standards").EnumerateArray()
                .ToDictionary(s => s.GetProperty("standardId").GetString()!, s => s.Clone(), StringComparer.Ordinal);
            if (until(rows))
            {
                return rows;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"mastery never got there: {text}");
            await Task.Delay(50);
        }
    }

    /// <summary>One BKT step from the prior, by hand.</summary>
    private static double After(bool correct)
    {
        var posterior = correct ? Prior * (1 - Slip) / (Prior * (1 - Slip) + (1 - Prior) * Guess) : Prior * Slip / (Prior * Slip + (1 - Prior) * (1 - Guess));
        return posterior + (1 - posterior) * Learn;
    }

    private static double P(Dictionary<string, JsonElement> rows, string standard) => rows[standard].GetProperty("pMastery").GetDouble();

    private async Task SendBothStudentsAsync()
    {
        await SendAsync(
            Canonical("a-1", "ada", 1, "LevelDone", new JsonObject { ["level"] = 1 }),
            Canonical("a-2", "ada", 2, "QuizAnswer", new JsonObject { ["question"] = 7, ["outcome"] = "right" }),
            Seed001("a-3", "ada", 3, "game_stage_complete", new JsonObject { ["stage_id"] = "G-01542-quiz", ["score"] = 87, ["max_score"] = 100, ["passed"] = true }),
            Seed001("a-4", "ada", 4, "concept_mastered", new JsonObject { ["concept_tags"] = new JsonArray("treble_staff") }),
            Canonical("b-1", "ben", 1, "HintUsed", new JsonObject { ["level"] = 1 }),
            Canonical("b-2", "ben", 2, "HintUsed", new JsonObject { ["level"] = 1 }),
            Canonical("b-3", "ben", 3, "LevelDone", new JsonObject { ["level"] = 1 }),
            Canonical("b-4", "ben", 4, "QuizAnswer", new JsonObject { ["question"] = 7, ["outcome"] = "wrong" }),
            Seed001("b-5", "ben", 5, "game_stage_complete", new JsonObject { ["stage_id"] = "G-01542-quiz", ["score"] = 95, ["passed"] = false }));
    }

    [SkippableFact]
    public async Task Issue_12_a_green_point_a_matching_pattern_a_passed_stage_and_a_mapped_concept_raise_mastery_and_their_opposites_lower_it()
    {
        await SendBothStudentsAsync();

        var ada = await RowsAsync("ada", r => r.Count == 4);
        var ben = await RowsAsync("ben", r => r.Count == 3);

        Assert.Equal(["FR.1", "FR.2", "MUS.1", "MUS.2"], ada.Keys.Order(StringComparer.Ordinal));
        Assert.All(ada.Values, row => Assert.Equal(After(correct: true), row.GetProperty("pMastery").GetDouble(), 9));
        Assert.All(ada.Values, row => Assert.True(row.GetProperty("pMastery").GetDouble() > Prior));
        Assert.Equal(["FR.1", "FR.2", "MUS.1"], ben.Keys.Order(StringComparer.Ordinal));
        Assert.All(ben.Values, row => Assert.Equal(After(correct: false), row.GetProperty("pMastery").GetDouble(), 9));
        Assert.All(ben.Values, row => Assert.True(row.GetProperty("pMastery").GetDouble() < Prior));
        // The stage's passed: false wins over its score of 95; the mapped tag is no standard of its own.
        Assert.Equal(95, ben["MUS.1"].GetProperty("latestScore").GetDouble());
        Assert.False(ada.ContainsKey("treble_staff"));
        Assert.Equal("b-3", ben["FR.1"].GetProperty("lastEventId").GetString());
    }

    [SkippableFact]
    public async Task Issue_12_a_changed_evidence_rule_recomputes_the_rows_of_its_standards_only()
    {
        await SendBothStudentsAsync();
        var before = await RowsAsync("ben", r => r.Count == 3);
        var version = (string s) => before[s].GetProperty("parameterVersion").GetString();

        // A wrong answer to question 7 now counts as correct (say the key was wrong).
        await File.WriteAllTextAsync(Path.Combine(_server.CatalogsDirectory, "quest.yaml"),
            Catalog.Replace("outcome: wrong } }\n      standards: [FR.2]\n      correct: false", "outcome: wrong } }\n      standards: [FR.2]\n      correct: true", StringComparison.Ordinal));
        using (var reload = await _server.SendAsync(HttpMethod.Post, "/v1/admin/catalogs/reload", TestServer.AdminToken, "{}"))
        {
            Assert.True(reload.IsSuccessStatusCode, await reload.Content.ReadAsStringAsync());
        }

        var after = await RowsAsync("ben", r => r["FR.2"].GetProperty("parameterVersion").GetString() != version("FR.2"));
        Assert.Equal(After(correct: true), P(after, "FR.2"), 9);
        Assert.Equal(version("FR.1"), after["FR.1"].GetProperty("parameterVersion").GetString());
        Assert.Equal(version("MUS.1"), after["MUS.1"].GetProperty("parameterVersion").GetString());
        Assert.Equal(After(correct: false), P(after, "FR.1"), 9);
    }
}
