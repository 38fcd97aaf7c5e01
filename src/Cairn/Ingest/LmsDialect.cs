using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Ingest;

/// <summary>
/// The LMS dialect (assignments, submissions and grades with standards): <c>event_id</c>, <c>source</c>, <c>timestamp</c>,
/// <c>student_id</c>, <c>class_id</c>, <c>assignment_id</c>, <c>standard_ids</c>, <c>score</c> (0–100, or out of
/// <c>max_score</c>), <c>rubric_tags</c> and an optional <c>type</c>. Recognized by its fields at the top level (a canonical
/// event keeps them in <c>data</c>), it becomes a canonical event: <c>student_id</c> is the playerId (so only the
/// directory keeps it), <c>type</c> the eventType (inferred when missing: a score means graded, standards without a
/// score mean assigned), and the rest goes to <c>data</c> under the same names.
/// </summary>
internal static class LmsDialect
{
    public const string Assigned = "ASSIGNMENT_ASSIGNED";
    public const string Submitted = "SUBMISSION_CREATED";
    public const string Graded = "SUBMISSION_GRADED";

    public const int MaxStandards = 32;

    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal) { Assigned, Submitted, Graded };

    /// <summary>The fields that say an event is in this dialect (no canonical event has them at the top level).</summary>
    private static readonly string[] Markers = ["student_id", "standard_ids", "assignment_id", "class_id"];

    /// <summary>The fields moved into <c>data</c>, under their own names.</summary>
    private static readonly string[] DataFields = ["class_id", "assignment_id", "standard_ids", "score", "max_score", "rubric_tags"];

    public static bool Matches(JsonObject input)
    {
        foreach (var marker in Markers)
        {
            if (input.ContainsKey(marker))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The canonical event (a new object; the input is emptied). Fields it does not know pass through for the validator.</summary>
    public static JsonObject Normalize(JsonObject input, List<string> notes, List<EventError> errors)
    {
        var output = new JsonObject();
        var data = input["data"] as JsonObject ?? new JsonObject();
        input.Remove("data");
        foreach (var field in DataFields)
        {
            if (input[field] is { } value)
            {
                input.Remove(field);
                data[field] = value;
            }
        }
        Move(input, output, "event_id", "eventId", notes);
        Move(input, output, "student_id", "playerId", notes);
        Move(input, output, input.ContainsKey("type") ? "type" : "event_type", "eventType", notes);
        foreach (var (name, value) in input.ToArray())
        {
            input.Remove(name);
            output[name] = value;
        }
        CheckData(data, errors);
        if (output["eventType"] is null && errors.Count == 0)
        {
            var hasStandards = data["standard_ids"] is JsonArray { Count: > 0 };
            if (data["score"] is not null)
            {
                output["eventType"] = Graded;
                notes.Add($"eventType: inferred {Graded} (the event has a score)");
            }
            else if (hasStandards)
            {
                output["eventType"] = Assigned;
                notes.Add($"eventType: inferred {Assigned} (standards without a score)");
            }
            else
            {
                errors.Add(new EventError("type", "required",
                    $"'type' is missing and cannot be inferred: give {string.Join(", ", Types.Order(StringComparer.Ordinal))}, a 'score' (graded) or 'standard_ids' (assigned)"));
            }
        }
        else if (output["eventType"] is JsonValue type && type.TryGetValue<string>(out var name) && !Types.Contains(name))
        {
            errors.Add(new EventError("type", "invalid_value", $"'type' of an LMS event must be {string.Join(", ", Types.Order(StringComparer.Ordinal))} (got \"{Clip(name)}\")"));
        }
        if (output["eventType"] is JsonValue graded && graded.TryGetValue<string>(out var t) && t == Graded && data["score"] is null)
        {
            errors.Add(new EventError("score", "required", $"a {Graded} event needs a 'score'"));
        }
        output["data"] = data;
        notes.Add("LMS event: fields moved into data (" + string.Join(", ", DataFields.Where(f => data.ContainsKey(f))) + ")");
        return output;
    }

    private static void Move(JsonObject input, JsonObject output, string from, string to, List<string> notes)
    {
        if (input[from] is { } value)
        {
            input.Remove(from);
            output[to] = value;
            notes.Add($"renamed '{from}' to '{to}'");
        }
    }

    private static void CheckData(JsonObject data, List<EventError> errors)
    {
        foreach (var field in (ReadOnlySpan<string>)["class_id", "assignment_id"])
        {
            if (data[field] is { } value && (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length is 0 or > EventValidator.MaxIdLength))
            {
                errors.Add(new EventError(field, "type", $"'{field}' must be a non-empty string of at most {EventValidator.MaxIdLength} characters"));
            }
        }
        foreach (var field in (ReadOnlySpan<string>)["standard_ids", "rubric_tags"])
        {
            if (data[field] is not { } node)
            {
                continue;
            }
            if (node is not JsonArray array || array.Count > MaxStandards
                || array.Any(item => item is not JsonValue s || s.GetValueKind() != JsonValueKind.String || s.GetValue<string>().Trim().Length is 0 or > EventValidator.MaxNameLength))
            {
                errors.Add(new EventError(field, "type", $"'{field}' must be a list of at most {MaxStandards} non-empty strings of at most {EventValidator.MaxNameLength} characters"));
            }
        }
        var score = Number(data, "score", errors);
        var max = Number(data, "max_score", errors);
        if (max is <= 0)
        {
            errors.Add(new EventError("max_score", "out_of_range", "'max_score' must be greater than 0"));
        }
        else if (score is { } s && (s < 0 || s > (max ?? 100)))
        {
            errors.Add(new EventError("score", "out_of_range", max is null
                ? $"'score' must be 0–100 (or give 'max_score'); got {s.ToString(CultureInfo.InvariantCulture)}"
                : $"'score' must be 0–{max.Value.ToString(CultureInfo.InvariantCulture)} ('max_score'); got {s.ToString(CultureInfo.InvariantCulture)}"));
        }
    }

    /// <summary>A number field (quoted numbers are converted in place); null when absent or wrong (then an error is added).</summary>
    private static double? Number(JsonObject data, string field, List<EventError> errors)
    {
        switch (data[field])
        {
            case null:
                return null;
            // Read through the JSON text: a node built in code (an import row) holds an int or a decimal, not a double.
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number
                                  && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                return d;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String
                                  && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed):
                data[field] = parsed;
                return parsed;
            default:
                errors.Add(new EventError(field, "type", $"'{field}' must be a number"));
                return null;
        }
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
