using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Ingest;

namespace Cairn.Tests.Ingest;

/// <summary>The LMS dialect (seed 004): detected by its fields, normalized into a canonical event, checked field by field.</summary>
public sealed class LmsDialectTests
{
    private static readonly IngestScope Scope = new("org-1", "lms");

    private static (JsonObject Output, List<string> Notes, List<EventError> Errors, ValidatedEvent? Valid) Normalize(string json)
    {
        var notes = new List<string>();
        var errors = new List<EventError>();
        var output = new EventNormalizer(EventSchemas.Empty, new IngestOptions().DropFields).Normalize(JsonNode.Parse(json)!.AsObject(), Scope.Game, notes, errors);
        var valid = errors.Count == 0 ? EventValidator.Validate(output, Scope, errors) : null;
        return (output, notes, errors, valid);
    }

    [Fact]
    public void Issue_12_a_graded_submission_becomes_a_canonical_event_with_the_student_as_player()
    {
        var (output, notes, errors, valid) = Normalize("""
            {"event_id":"g-1","source":"canvas","timestamp":"2026-01-10T09:00:00Z","student_id":"stu-42","class_id":"c-7",
             "assignment_id":"a-3","standard_ids":["NF.1","NF.2"],"score":85,"rubric_tags":["clear"],"type":"SUBMISSION_GRADED"}
            """);

        Assert.Empty(errors);
        Assert.NotNull(valid);
        Assert.Equal(("g-1", "SUBMISSION_GRADED", "canvas", "stu-42"), (valid.EventId, valid.EventType, valid.Source, valid.RawPlayerId));
        var data = (JsonObject)output["data"]!;
        Assert.Equal("c-7", (string?)data["class_id"]);
        Assert.Equal("a-3", (string?)data["assignment_id"]);
        Assert.Equal(["NF.1", "NF.2"], data["standard_ids"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(85, (double)data["score"]!);
        Assert.Contains(notes, n => n.Contains("student_id", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"score":70,"standard_ids":["S1"]}""", "SUBMISSION_GRADED")]
    [InlineData("""{"standard_ids":["S1"]}""", "ASSIGNMENT_ASSIGNED")]
    [InlineData("""{"score":"7","max_score":10}""", "SUBMISSION_GRADED")]
    public void Issue_12_a_missing_type_is_inferred_from_score_and_standards(string fields, string expected)
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["event_id"] = "x-1";
        body["timestamp"] = "2026-01-10T09:00:00Z";
        body["student_id"] = "stu-1";
        body["assignment_id"] = "a-1";

        var (output, notes, errors, valid) = Normalize(body.ToJsonString());

        Assert.Empty(errors);
        Assert.Equal(expected, valid!.EventType);
        Assert.Contains(notes, n => n.StartsWith("eventType: inferred", StringComparison.Ordinal));
        Assert.NotNull(output["data"]!["assignment_id"]);
    }

    [Fact]
    public void Issue_12_an_lms_event_may_name_its_type_event_type()
    {
        var (_, _, errors, valid) = Normalize("""
            {"event_id":"g-1","timestamp":"2026-01-10T09:00:00Z","student_id":"stu-42","standard_ids":["NF.1"],"event_type":"ASSIGNMENT_ASSIGNED"}
            """);

        Assert.Empty(errors);
        Assert.Equal("ASSIGNMENT_ASSIGNED", valid!.EventType);
    }

    [Theory]
    [InlineData("""{"assignment_id":"a-1"}""", "type", "required")]
    [InlineData("""{"type":"GRADE","score":50}""", "type", "invalid_value")]
    [InlineData("""{"type":"SUBMISSION_GRADED","standard_ids":["S1"]}""", "score", "required")]
    [InlineData("""{"score":120}""", "score", "out_of_range")]
    [InlineData("""{"score":12,"max_score":10}""", "score", "out_of_range")]
    [InlineData("""{"score":"lots"}""", "score", "type")]
    [InlineData("""{"score":5,"standard_ids":"S1"}""", "standard_ids", "type")]
    [InlineData("""{"score":5,"standard_ids":[""]}""", "standard_ids", "type")]
    [InlineData("""{"score":5,"class_id":7}""", "class_id", "type")]
    public void Issue_12_a_wrong_lms_field_is_named_in_the_error(string fields, string path, string code)
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["event_id"] = "x-1";
        body["timestamp"] = "2026-01-10T09:00:00Z";
        body["student_id"] = "stu-1";

        var (_, _, errors, _) = Normalize(body.ToJsonString());

        Assert.Contains(errors, e => e.Path == path && e.Code == code);
    }

    [Fact]
    public void Issue_12_a_canonical_event_with_lms_fields_in_data_is_not_taken_for_the_dialect()
    {
        var (output, notes, errors, valid) = Normalize("""
            {"eventId":"e-1","eventType":"SUBMISSION_GRADED","timestamp":"2026-01-10T09:00:00Z","playerId":"p",
             "data":{"standard_ids":["S1"],"score":90}}
            """);

        Assert.Empty(errors);
        Assert.DoesNotContain(notes, n => n.StartsWith("LMS", StringComparison.Ordinal));
        Assert.Equal("SUBMISSION_GRADED", valid!.EventType);
        Assert.Equal(90, (double)output["data"]!["score"]!);
    }
}
