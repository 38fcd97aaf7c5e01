using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Ingest;

namespace Cairn.Tests.Ingest;

public sealed class EventNormalizerTests
{
    private static readonly IngestScope Scope = new("org-1", "mhs");

    private static EventNormalizer Normalizer(EventSchemas? schemas = null) => new(schemas ?? EventSchemas.Empty, new IngestOptions().DropFields);

    private static (JsonObject Output, List<string> Notes, List<EventError> Errors) Normalize(string json, EventSchemas? schemas = null)
    {
        var notes = new List<string>();
        var errors = new List<EventError>();
        var output = Normalizer(schemas).Normalize(JsonNode.Parse(json)!.AsObject(), Scope.Game, notes, errors);
        return (output, notes, errors);
    }

    private static EventSchemas QuizSchema() => new(new Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>>
    {
        [("mhs", "quizAnswer")] = new Dictionary<string, FieldType>
        {
            ["score"] = FieldType.Integer,
            ["ratio"] = FieldType.Number,
            ["passed"] = FieldType.Boolean,
            ["label"] = FieldType.String,
        },
    });

    [Fact]
    public void Canonical_event_passes_through_unchanged_with_no_notes()
    {
        const string canonical = """
            {"eventId":"e-1","eventType":"playerPositionEvent","timestamp":"2025-09-29T22:02:51.04Z","game":"mhs",
             "source":"unity","playerId":"test@example.com","sessionId":"s-1",
             "data":{"playerPosition":{"x":-19.51,"y":105.35,"z":-65.72},"label":"12"},
             "device":{"platform":"WindowsEditor","browser":"WebGL_Browser"},
             "context":{"pageUrl":"/play","assignmentId":"asg_1"},"schemaVersion":"1","privacyLevel":"standard"}
            """;

        var (output, notes, errors) = Normalize(canonical, QuizSchema());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(canonical), output), output.ToJsonString());
        Assert.Empty(notes);
        Assert.Empty(errors);
    }

    [Fact]
    public void Legacy_mongo_event_becomes_canonical_with_notes()
    {
        // The legacy log shape (seeds/000): _id, player_id, event_type, a double-encoded event_data, Key/Value device_info.
        const string legacy = """
            {"_id":{"$oid":"68db020b72ebf4f11406e6c0"},"game":"mhs","player_id":"test@example.com",
             "timestamp":{"$date":"2025-09-29T22:02:51.04Z"},"event_type":"playerPositionEvent",
             "event_data":"{\"playerPosition\":{\"x\":-19.51862144470215,\"y\":105.34504699707031,\"z\":-65.71957397460938}}",
             "device_info":[{"Key":"platform","Value":"WindowsEditor"},{"Key":"browser","Value":"WebGL_Browser"}]}
            """;

        var (output, notes, errors) = Normalize(legacy);

        Assert.Empty(errors);
        Assert.Equal("68db020b72ebf4f11406e6c0", output["eventId"]!.GetValue<string>());
        Assert.Equal("test@example.com", output["playerId"]!.GetValue<string>());
        Assert.Equal("playerPositionEvent", output["eventType"]!.GetValue<string>());
        Assert.Equal("2025-09-29T22:02:51.04Z", output["timestamp"]!.GetValue<string>());
        Assert.Equal(-19.51862144470215, output["data"]!["playerPosition"]!["x"]!.GetValue<double>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"platform":"WindowsEditor","browser":"WebGL_Browser"}"""), output["device"]));
        Assert.DoesNotContain(output, p => p.Key is "_id" or "player_id" or "event_type" or "event_data" or "device_info");
        Assert.Contains("renamed 'player_id' to 'playerId'", notes);
        Assert.Contains("eventId: unwrapped MongoDB '$oid'", notes);
        Assert.Contains("timestamp: unwrapped MongoDB '$date'", notes);
        Assert.Contains("data: decoded a JSON string into an object", notes);
        Assert.Contains("device: converted a Key/Value array into an object", notes);
        var validationErrors = new List<EventError>();
        Assert.NotNull(EventValidator.Validate(output, Scope, validationErrors));
        Assert.Empty(validationErrors);
    }

    [Fact]
    public void Mongo_date_with_numberLong_becomes_an_rfc3339_timestamp()
    {
        var millis = new DateTimeOffset(2025, 9, 29, 22, 2, 51, 40, TimeSpan.Zero).ToUnixTimeMilliseconds();

        var (output, _, errors) = Normalize("{\"_id\":\"a\",\"event_type\":\"t\",\"timestamp\":{\"$date\":{\"$numberLong\":\"" + millis.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}}");

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2025, 9, 29, 22, 2, 51, 40, TimeSpan.Zero), DateTimeOffset.Parse(output["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Snake_case_lms_event_becomes_canonical_with_notes()
    {
        // The LMS event core schema (seeds/001).
        const string lms = """
            {"event_id":"evt_1234567890abcdef","event_type":"game_stage_complete","timestamp":"2025-01-27T14:30:45.123Z",
             "user_id":"usr_12345","session_id":"sess_67890abcdef","organization_id":"org_54321",
             "device_info":{"user_agent":"Mozilla/5.0","platform":"desktop","browser":"chrome","version":120},
             "context":{"page_url":"/student/assignment-play","referrer":"/student/dashboard","assignment_id":"asg_789"},
             "properties":{"game_id":"G-01542","score":87,"passed":true},
             "privacy_level":"standard","retention_days":2555}
            """;

        var (output, notes, errors) = Normalize(lms);

        Assert.Empty(errors);
        Assert.Equal("evt_1234567890abcdef", output["eventId"]!.GetValue<string>());
        Assert.Equal("usr_12345", output["playerId"]!.GetValue<string>());
        Assert.Equal("sess_67890abcdef", output["sessionId"]!.GetValue<string>());
        Assert.Equal("mhs", output["game"]!.GetValue<string>());
        Assert.Equal("standard", output["privacyLevel"]!.GetValue<string>());
        Assert.False(output.ContainsKey("organization_id"));
        Assert.False(output.ContainsKey("retention_days"));
        Assert.Equal("120", output["device"]!["version"]!.GetValue<string>());
        Assert.Equal(87, output["data"]!["score"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"pageUrl":"/student/assignment-play","referrer":"/student/dashboard","assignmentId":"asg_789"}"""), output["context"]));
        Assert.Contains("dropped 'organization_id': the org comes from the ingest key", notes);
        Assert.Contains("renamed 'properties' to 'data'", notes);
        Assert.Contains("device.version: number converted to string", notes);
        Assert.Contains("context.page_url renamed to context.pageUrl", notes);
        Assert.Contains("game: taken from the ingest key", notes);
        var validationErrors = new List<EventError>();
        Assert.NotNull(EventValidator.Validate(output, Scope, validationErrors));
        Assert.Empty(validationErrors);
    }

    [Fact]
    public void Quoted_numbers_are_coerced_where_the_schema_declares_the_field()
    {
        const string e = """{"eventId":"e","eventType":"quizAnswer","game":"mhs","data":{"score":"87","ratio":"0.5","passed":"true","label":"12","other":"7"}}""";

        var (output, notes, errors) = Normalize(e, QuizSchema());

        Assert.Empty(errors);
        var data = output["data"]!;
        Assert.Equal(JsonValueKind.Number, data["score"]!.GetValueKind());
        Assert.Equal(87, data["score"]!.GetValue<long>());
        Assert.Equal(0.5, data["ratio"]!.GetValue<double>());
        Assert.Equal(JsonValueKind.True, data["passed"]!.GetValueKind());
        Assert.Equal("12", data["label"]!.GetValue<string>());
        Assert.Equal("7", data["other"]!.GetValue<string>());
        Assert.Contains("data.score: \"87\" converted to integer", notes);
    }

    [Fact]
    public void Quoted_numbers_stay_strings_without_a_schema()
    {
        const string e = """{"eventId":"e","eventType":"quizAnswer","game":"mhs","data":{"score":"87","ratio":"0.5"}}""";

        var (output, notes, errors) = Normalize(e);

        Assert.Empty(errors);
        Assert.Equal(JsonValueKind.String, output["data"]!["score"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, output["data"]!["ratio"]!.GetValueKind());
        Assert.DoesNotContain(notes, n => n.Contains("converted", StringComparison.Ordinal));
    }

    [Fact]
    public void Quoted_numbers_stay_strings_for_another_game_with_the_same_event_type()
    {
        const string e = """{"eventId":"e","eventType":"quizAnswer","game":"other","data":{"score":"87"}}""";

        var (output, _, errors) = Normalize(e, QuizSchema());

        Assert.Empty(errors);
        Assert.Equal(JsonValueKind.String, output["data"]!["score"]!.GetValueKind());
    }

    [Theory]
    [InlineData("eighty-seven")]
    [InlineData("87.5")]
    [InlineData("")]
    public void Non_numeric_value_for_an_integer_field_is_an_error(string value)
    {
        var e = $$$"""{"eventId":"e","eventType":"quizAnswer","game":"mhs","data":{"score":"{{{value}}}"}}""";

        var (_, _, errors) = Normalize(e, QuizSchema());

        var error = Assert.Single(errors);
        Assert.Equal("data.score", error.Path);
        Assert.Equal("type", error.Code);
    }

    [Fact]
    public void Personal_fields_are_dropped_from_data_context_and_device()
    {
        const string e = """
            {"eventId":"e","eventType":"t","data":{"remote_addr":"192.0.2.7","level":1},
             "context":{"ip":"192.0.2.8","page":"/x"},"device":{"clientIp":"192.0.2.9","platform":"web"}}
            """;

        var (output, notes, errors) = Normalize(e);

        Assert.Empty(errors);
        Assert.DoesNotContain("192.0.2.", output.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, output["data"]!["level"]!.GetValue<int>());
        Assert.Equal("web", output["device"]!["platform"]!.GetValue<string>());
        Assert.Contains("data.remote_addr: dropped (personal data)", notes);
        Assert.Contains("context.ip: dropped (personal data)", notes);
        Assert.Contains("device.clientIp: dropped (personal data)", notes);
    }

    [Fact]
    public void Two_fields_mapping_to_the_same_canonical_field_are_a_conflict()
    {
        var (_, _, errors) = Normalize("""{"eventId":"e","eventType":"t","playerId":"a","player_id":"b"}""");

        var error = Assert.Single(errors);
        Assert.Equal("playerId", error.Path);
        Assert.Equal("conflict", error.Code);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    public void Data_string_that_is_not_a_json_object_is_an_error(string data)
    {
        var e = new JsonObject { ["eventId"] = "e", ["eventType"] = "t", ["event_data"] = data }.ToJsonString();

        var (_, _, errors) = Normalize(e);

        var error = Assert.Single(errors);
        Assert.Equal("data", error.Path);
        Assert.Equal("type", error.Code);
    }
}
