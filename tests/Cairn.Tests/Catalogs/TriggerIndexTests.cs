using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Ingest;
using Cairn.Tests.Support;

namespace Cairn.Tests.Catalogs;

public sealed class TriggerIndexTests
{
    private const string Kinds = """
        game: kinds
        points:
          - id: number
            complete: { eventType: Level, data: { level: 20 } }
          - id: text
            complete: { eventType: Code, data: { code: "20" } }
          - id: flag
            complete: { eventType: Flag, data: { done: true } }
          - id: choice
            complete: { eventType: Pick, data: { choice: { in: [1, 2, 3] } } }
          - id: two-fields
            complete: { eventType: QuizEvent, data: { quiz: 7, passed: true } }
        """;

    private static readonly CatalogSet KindsSet = new([CatalogLoader.Load("kinds.yaml", Kinds)]);

    private static CatalogSet Mhs() =>
        new([CatalogLoader.Load("mhs.yaml", File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml")))]);

    private static JsonObject Data(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("Level", """{"level":20}""", "number", "level:20")]
    [InlineData("Level", """{"level":20.0,"other":"x"}""", "number", "level:20")]
    [InlineData("Code", """{"code":"20"}""", "text", "code:20")]
    [InlineData("Flag", """{"done":true}""", "flag", "flag:true")]
    [InlineData("Pick", """{"choice":1}""", "choice", "pick:1")]
    [InlineData("Pick", """{"choice":3}""", "choice", "pick:3")]
    [InlineData("QuizEvent", """{"passed":true,"quiz":7}""", "two-fields", "quiz:7:true")]
    public void Exact_values_match_their_point_with_an_event_key(string eventType, string data, string point, string eventKey)
    {
        var match = KindsSet.Match("kinds", eventType, Data(data));

        Assert.NotNull(match);
        Assert.Equal([point], match.Points);
        Assert.Equal(eventKey, match.EventKey);
    }

    [Theory]
    [InlineData("Level", """{"level":"20"}""")]
    [InlineData("Level", """{"level":21}""")]
    [InlineData("Level", """{"level":20.5}""")]
    [InlineData("Level", """{"lvl":20}""")]
    [InlineData("Level", """{"level":[20]}""")]
    [InlineData("Code", """{"code":20}""")]
    [InlineData("Code", """{"code":"020"}""")]
    [InlineData("Flag", """{"done":"true"}""")]
    [InlineData("Flag", """{"done":false}""")]
    [InlineData("Flag", """{"done":1}""")]
    [InlineData("Pick", """{"choice":4}""")]
    [InlineData("Pick", """{"choice":"1"}""")]
    [InlineData("QuizEvent", """{"quiz":7}""")]
    [InlineData("QuizEvent", """{"quiz":7,"passed":false}""")]
    [InlineData("Other", """{"level":20}""")]
    public void Values_of_another_type_or_value_match_nothing(string eventType, string data)
    {
        var match = KindsSet.Match("kinds", eventType, Data(data));

        Assert.Null(match);
    }

    [Fact]
    public void Events_of_an_unknown_game_or_without_data_match_nothing()
    {
        Assert.Null(KindsSet.Match("other", "Level", Data("""{"level":20}""")));
        Assert.Null(KindsSet.Match("kinds", "Level", null));
    }

    [Fact]
    public void Quoted_number_matches_once_the_normalizer_coerced_it_from_the_catalog_types()
    {
        var set = Mhs();
        var normalizer = new EventNormalizer(set.Schemas, new IngestOptions().DropFields);
        var quoted = GameEvents.Event("e1", "p", 0, "DialogueEvent", Data("""{"conversationId":"20","nodeId":"26"}"""));
        var withoutCoercion = set.Match("mhs", "DialogueEvent", (JsonObject)quoted["data"]!.DeepClone());

        var canonical = normalizer.Normalize(quoted, "mhs", [], []);
        var match = set.Match("mhs", "DialogueEvent", canonical["data"] as JsonObject);

        Assert.Null(withoutCoercion);
        Assert.NotNull(match);
        Assert.Equal("dialogue:20:26", match.EventKey);
        Assert.Equal(["U2.C2"], match.Points);
    }

    [Theory]
    [InlineData("DialogueEvent", """{"conversationId":20,"nodeId":26,"dialogueEventType":"end"}""", "dialogue:20:26", "U2.C2")]
    [InlineData("DialogueEvent", """{"conversationId":20,"nodeId":1}""", "dialogue:20:1", "U2.C2")]
    [InlineData("DialogueEvent", """{"conversationId":20,"nodeId":33}""", "dialogue:20:33", "U2.C7")]
    [InlineData("DialogueEvent", """{"conversationId":20,"nodeId":75}""", "dialogue:20:75", "U2.C7")]
    [InlineData("DialogueEvent", """{"conversationId":40,"nodeId":13}""", "dialogue:40:13", "U3.C2")]
    [InlineData("questEvent", """{"questEventType":"questFinishEvent","questId":21}""", "quest:questFinishEvent:21", "U2.C1")]
    [InlineData("ProgressPointCompleted", """{"pointId":"U2.C2"}""", "pp:U2.C2", "U2.C2")]
    [InlineData("ProgressPointCompleted", """{"progressPointId":"U1.C3"}""", "pp:U1.C3", "U1.C3")]
    [InlineData("ProgressReset", """{"pointIds":["U1.C1"]}""", "reset", "U1.C1")]
    public void Event_key_is_the_short_type_and_the_matched_values(string eventType, string data, string eventKey, string point)
    {
        var match = Mhs().Match("mhs", eventType, Data(data));

        Assert.NotNull(match);
        Assert.Equal(eventKey, match.EventKey);
        Assert.Equal([point], match.Points);
    }

    [Fact]
    public void Completion_signature_wins_the_event_key_over_start_and_count()
    {
        // The count (one field) and the start come first in the catalog, so only the role can make the completion win.
        const string yaml = """
            game: roles
            points:
              - id: counted
                complete: { eventType: StepEvent, data: { stage: 9 } }
                count: { eventType: StepEvent, data: { chapter: 5 } }
                green: { count: { max: 1 } }
              - id: started
                start: { eventType: StepEvent, data: { chapter: 5, step: 9 } }
                complete: { eventType: StepEvent, data: { chapter: 5, step: 99 } }
              - id: completed
                complete: { eventType: StepEvent, data: { step: 9, chapter: 5 } }
            """;
        var set = new CatalogSet([CatalogLoader.Load("roles.yaml", yaml)]);

        var all = set.Match("roles", "StepEvent", Data("""{"chapter":5,"step":9}"""));
        var startAndCount = set.Match("roles", "StepEvent", Data("""{"chapter":5,"step":99}"""));
        var countOnly = set.Match("roles", "StepEvent", Data("""{"chapter":5,"step":1}"""));

        Assert.NotNull(all);
        Assert.Equal("step:9:5", all.EventKey);
        Assert.Equal(["completed", "counted", "started"], all.Points.Order(StringComparer.Ordinal));
        Assert.NotNull(startAndCount);
        Assert.Equal("step:5:99", startAndCount.EventKey);
        Assert.Equal(["counted", "started"], startAndCount.Points.Order(StringComparer.Ordinal));
        Assert.NotNull(countOnly);
        Assert.Equal("step:5", countOnly.EventKey);
        Assert.Equal(["counted"], countOnly.Points);
    }

    [Theory]
    [InlineData("""{"pointId":"U9.C9"}""")]
    [InlineData("""{"pointId":""}""")]
    [InlineData("""{"pointId":22}""")]
    [InlineData("""{"point":"U2.C2"}""")]
    public void Completion_of_an_unknown_point_matches_nothing(string data)
    {
        var match = Mhs().Match("mhs", "ProgressPointCompleted", Data(data));

        Assert.Null(match);
    }

    [Theory]
    [InlineData("""{"pointIds":["U2.C2","U9.C9","U1.C1","U2.C2"]}""", "U2.C2,U1.C1")]
    [InlineData("""{"fromPointId":"U2.C6"}""", "U2.C6,U2.C7,U3.C1,U3.C2")]
    [InlineData("""{"fromPointId":"U3.C2"}""", "U3.C2")]
    [InlineData("""{"fromPointId":"U1.C1"}""", "U1.C1,U1.C2,U1.C3,U2.C1,U2.C2,U2.C3,U2.C4,U2.C5,U2.C6,U2.C7,U3.C1,U3.C2")]
    [InlineData("""{"pointIds":["U1.C2"],"fromPointId":"U3.C1"}""", "U1.C2,U3.C1,U3.C2")]
    public void Reset_covers_the_named_points_or_a_point_and_all_after_it(string data, string covered)
    {
        var match = Mhs().Match("mhs", "ProgressReset", Data(data));

        Assert.NotNull(match);
        Assert.Equal("reset", match.EventKey);
        Assert.Equal(covered.Split(','), match.Points);
    }

    [Theory]
    [InlineData("""{"pointIds":["U9.C9"]}""")]
    [InlineData("""{"fromPointId":"U9.C9"}""")]
    [InlineData("""{"pointIds":"U2.C2"}""")]
    [InlineData("{}")]
    public void Reset_of_no_known_point_matches_nothing(string data)
    {
        var match = Mhs().Match("mhs", "ProgressReset", Data(data));

        Assert.Null(match);
    }

    [Fact]
    public void Catalog_of_a_thousand_points_matches_each_event_to_its_own_point()
    {
        var yaml = new StringBuilder("game: big\npoints:\n");
        for (var i = 0; i < 1000; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
                  - id: p{i:D4}
                    start: {"{"} eventType: LevelEvent, data: {"{"} level: {i}, phase: begin {"}"} {"}"}
                    complete: {"{"} eventType: LevelEvent, data: {"{"} level: {i}, phase: {"{"} in: [done, skipped] {"}"} {"}"} {"}"}
                    count: {"{"} eventType: HintEvent, data: {"{"} level: {i} {"}"} {"}"}
                    green: {"{"} count: {"{"} max: 2 {"}"} {"}"}

                """);
        }
        var catalog = CatalogLoader.Load("big.yaml", yaml.ToString());
        var set = new CatalogSet([catalog]);

        var misses = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var done = set.Match("big", "LevelEvent", Data($$"""{"level":{{i}},"phase":"done"}"""));
            var begin = set.Match("big", "LevelEvent", Data($$"""{"level":{{i}},"phase":"begin"}"""));
            var hint = set.Match("big", "HintEvent", Data($$"""{"level":{{i}}}"""));
            var expected = $"p{i:D4}";
            if (done?.Points.SingleOrDefault() != expected || done.EventKey != $"level:{i}:done"
                || begin?.Points.SingleOrDefault() != expected || begin.EventKey != $"level:{i}:begin"
                || hint?.Points.SingleOrDefault() != expected || hint.EventKey != $"hint:{i}")
            {
                misses.Add(expected);
            }
        }

        Assert.Equal(1000, catalog.Points.Count);
        Assert.Empty(misses);
        Assert.Null(set.Match("big", "LevelEvent", Data("""{"level":1000,"phase":"done"}""")));
        Assert.Null(set.Match("big", "LevelEvent", Data("""{"level":5,"phase":"lost"}""")));
        Assert.Equal(["p0998", "p0999"], set.Match("big", "ProgressReset", Data("""{"fromPointId":"p0998"}"""))!.Points);
    }

    [Theory]
    [InlineData("""{"conversationId":20,"nodeId":26}""", true)]
    [InlineData("""{"conversationId":20.0,"nodeId":26,"extra":1}""", true)]
    [InlineData("""{"conversationId":"20","nodeId":26}""", false)]
    [InlineData("""{"conversationId":20}""", false)]
    [InlineData("[20, 26]", false)]
    public void Stored_events_are_matched_by_the_same_rule_as_triggers(string data, bool matches)
    {
        var point = Mhs().Games["mhs"].PointsById["U2.C2"];
        using var json = JsonDocument.Parse(data);

        var result = PatternMatcher.Matches(point.Complete[0], "DialogueEvent", json.RootElement);

        Assert.Equal(matches, result);
    }
}
