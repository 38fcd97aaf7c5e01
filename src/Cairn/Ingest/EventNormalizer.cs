using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Catalogs;

namespace Cairn.Ingest;

/// <summary>
/// Turns the shapes real producers send into the canonical event (ARCHITECTURE §2) and says what it changed:
/// the legacy MongoDB log shape (double-encoded <c>event_data</c>, Key/Value <c>device_info</c>, <c>_id</c>,
/// quoted numbers), the snake_case LMS shape (<c>event_id</c>, <c>user_id</c>, <c>properties</c>, …) and the LMS
/// grade dialect (<c>student_id</c>, <c>standard_ids</c>, <c>score</c>, …: <see cref="LmsDialect"/>).
/// A canonical event passes through untouched.
/// </summary>
internal sealed class EventNormalizer(Func<EventSchemas> schemas, IReadOnlyCollection<string> dropFields)
{
    /// <summary>With a fixed set of schemas (tests, tools).</summary>
    public EventNormalizer(EventSchemas schemas, IReadOnlyCollection<string> dropFields)
        : this(() => schemas, dropFields)
    {
    }

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["_id"] = "eventId",
        ["event_id"] = "eventId",
        ["event_type"] = "eventType",
        ["player_id"] = "playerId",
        ["user_id"] = "playerId",
        ["userId"] = "playerId",
        ["session_id"] = "sessionId",
        ["event_data"] = "data",
        ["properties"] = "data",
        ["device_info"] = "device",
        ["deviceInfo"] = "device",
        ["schema_version"] = "schemaVersion",
        ["privacy_level"] = "privacyLevel",
    };

    /// <summary>Fields some producers send that the server decides itself; dropped with a note.</summary>
    private static readonly Dictionary<string, string> Ignored = new(StringComparer.Ordinal)
    {
        ["organization_id"] = "the org comes from the ingest key",
        ["organizationId"] = "the org comes from the ingest key",
        ["org_id"] = "the org comes from the ingest key",
        ["orgId"] = "the org comes from the ingest key",
        ["retention_days"] = "retention follows the privacy level",
        ["retentionDays"] = "retention follows the privacy level",
    };

    private readonly HashSet<string> _drop = new(dropFields, StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> IdentityFields = ["playerId", "player_id", "user_id", "userId", "student_id"];

    /// <summary>Normalizes one event object in place. Returns notes of what changed; adds to <paramref name="errors"/> what cannot be fixed.</summary>
    public JsonObject Normalize(JsonObject input, string defaultGame, List<string> notes, List<EventError> errors)
    {
        if (LmsDialect.Matches(input))
        {
            input = LmsDialect.Normalize(input, notes, errors);
        }
        // A canonical event has nothing to rename or drop: it is its own output, without moving every field.
        var output = HasProducerNames(input) ? RenameFields(input, notes, errors) : input;

        UnwrapMongo(output, "eventId", "$oid", notes);
        UnwrapMongo(output, "timestamp", "$date", notes);
        if (output["eventId"] is JsonValue idValue && idValue.GetValueKind() == JsonValueKind.Number)
        {
            output["eventId"] = idValue.ToJsonString();
            notes.Add("eventId: number converted to string");
        }
        if (output["game"] is null)
        {
            output["game"] = defaultGame;
            notes.Add("game: taken from the ingest key");
        }
        DecodeJsonString(output, "data", notes, errors);
        DecodeJsonString(output, "context", notes, errors);
        NormalizeDevice(output, notes);
        if (output["context"] is JsonObject context)
        {
            output["context"] = CamelCaseKeys(context, "context", notes);
        }
        DropPersonal(output, notes);
        if (output["data"] is JsonObject data && output["eventType"] is JsonValue type && type.TryGetValue<string>(out var eventType)
            && output["game"] is JsonValue g && g.TryGetValue<string>(out var game) && schemas().For(game, eventType) is { } schema)
        {
            Coerce(data, schema, notes, errors);
        }
        ApplyPrivacyLevel(output, notes);
        return output;
    }

    /// <summary>
    /// An event of a taxonomy type is kept under its category's privacy level (<see cref="Sampling.Taxonomy.PrivacyLevel"/>), so
    /// retention follows the category; a level it names that is not a level at all is left for the validator to reject.
    /// </summary>
    private static void ApplyPrivacyLevel(JsonObject output, List<string> notes)
    {
        if (output["eventType"] is not JsonValue type || !type.TryGetValue<string>(out var eventType) || Sampling.Taxonomy.Of(eventType) is not { } category)
        {
            return;
        }
        string? named = null;
        if (output["privacyLevel"] is { } given)
        {
            if (given is not JsonValue v || !v.TryGetValue(out named) || !EventValidator.PrivacyLevels.Contains(named))
            {
                return;
            }
        }
        var level = Sampling.Taxonomy.PrivacyLevel(eventType, named);
        output["privacyLevel"] = level;
        if (named is not null && named != level)
        {
            notes.Add($"privacyLevel: '{named}' is '{level}', the level of the '{category.Name}' category ({eventType}); an event may only raise it to sensitive or pii");
        }
    }

    private static JsonObject RenameFields(JsonObject input, List<string> notes, List<EventError> errors)
    {
        var output = new JsonObject();
        foreach (var (name, value) in input.ToArray())
        {
            input.Remove(name);
            if (Ignored.TryGetValue(name, out var why))
            {
                notes.Add($"dropped '{name}': {why}");
                continue;
            }
            var target = name;
            if (Aliases.TryGetValue(name, out var canonical))
            {
                target = canonical;
                notes.Add($"renamed '{name}' to '{canonical}'");
            }
            if (output.ContainsKey(target))
            {
                errors.Add(new EventError(target, "conflict", $"'{name}' and another field both map to '{target}'; send only one"));
                continue;
            }
            output[target] = value;
        }
        return output;
    }

    private static bool HasProducerNames(JsonObject input)
    {
        foreach (var (name, _) in input)
        {
            if (Aliases.ContainsKey(name) || Ignored.ContainsKey(name))
            {
                return true;
            }
        }
        return false;
    }

    private static void UnwrapMongo(JsonObject output, string field, string wrapper, List<string> notes)
    {
        if (output[field] is JsonObject { Count: 1 } obj && obj[wrapper] is { } inner)
        {
            if (inner is JsonObject { Count: 1 } numberLong && numberLong["$numberLong"] is JsonValue ms
                && long.TryParse(ms.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis))
            {
                output[field] = DateTimeOffset.FromUnixTimeMilliseconds(millis).ToString("O", CultureInfo.InvariantCulture);
            }
            else
            {
                output[field] = inner.DeepClone();
            }
            notes.Add($"{field}: unwrapped MongoDB '{wrapper}'");
        }
    }

    private static void DecodeJsonString(JsonObject output, string field, List<string> notes, List<EventError> errors)
    {
        if (output[field] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new EventError(field, "type", $"'{field}' is a string holding JSON that is not an object"));
                return;
            }
            if (JsonHazards.Find(document.RootElement) is { } hazard)
            {
                errors.Add(hazard with { Path = hazard.Path.Length == 0 ? field : $"{field}.{hazard.Path}" });
                return;
            }
            output[field] = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            notes.Add($"{field}: decoded a JSON string into an object");
        }
        catch (JsonException)
        {
            errors.Add(new EventError(field, "type", $"'{field}' must be an object (it is a string that is not JSON)"));
        }
    }

    private static void NormalizeDevice(JsonObject output, List<string> notes)
    {
        switch (output["device"])
        {
            case JsonArray pairs when pairs.All(p => p is JsonObject o && o.ContainsKey("Key")):
                var device = new JsonObject();
                foreach (var pair in pairs.Cast<JsonObject>())
                {
                    var key = pair["Key"]?.ToString();
                    if (!string.IsNullOrEmpty(key))
                    {
                        device[key] = ScalarText(pair["Value"]);
                    }
                }
                output["device"] = device;
                notes.Add("device: converted a Key/Value array into an object");
                break;
            case JsonObject obj:
                foreach (var (key, value) in obj.ToArray())
                {
                    if (value is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        obj[key] = ScalarText(value);
                        notes.Add($"device.{key}: {v.GetValueKind().ToString().ToLowerInvariant()} converted to string");
                    }
                }
                break;
        }
    }

    private static JsonNode? ScalarText(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => value.DeepClone(),
    };

    private static JsonObject CamelCaseKeys(JsonObject obj, string path, List<string> notes)
    {
        if (!obj.Any(p => p.Key.Contains('_', StringComparison.Ordinal)))
        {
            return obj;
        }
        var result = new JsonObject();
        foreach (var (key, value) in obj.ToArray())
        {
            obj.Remove(key);
            var camel = ToCamel(key);
            if (camel != key)
            {
                notes.Add($"{path}.{key} renamed to {path}.{camel}");
            }
            result[camel] = value;
        }
        return result;
    }

    private static string ToCamel(string snake)
    {
        if (!snake.Contains('_', StringComparison.Ordinal))
        {
            return snake;
        }
        var builder = new StringBuilder(snake.Length);
        var upper = false;
        foreach (var c in snake.TrimStart('_'))
        {
            if (c == '_')
            {
                upper = builder.Length > 0;
                continue;
            }
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return builder.ToString();
    }

    private void DropPersonal(JsonObject output, List<string> notes)
    {
        if (_drop.Count == 0)
        {
            return;
        }
        foreach (var section in (ReadOnlySpan<string>)["data", "context", "device"])
        {
            if (output[section] is not JsonObject obj || !HasAny(obj, _drop))
            {
                continue;
            }
            foreach (var field in _drop)
            {
                if (obj.Remove(field))
                {
                    notes.Add($"{section}.{field}: dropped (personal data)");
                }
            }
        }
    }

    /// <summary>Looks the object's few keys up in the set, rather than removing every field of the set from it.</summary>
    private static bool HasAny(JsonObject obj, HashSet<string> names)
    {
        foreach (var (key, _) in obj)
        {
            if (names.Contains(key))
            {
                return true;
            }
        }
        return false;
    }

    private static void Coerce(JsonObject data, IReadOnlyDictionary<string, FieldType> schema, List<string> notes, List<EventError> errors)
    {
        foreach (var (field, type) in schema)
        {
            if (data[field] is not JsonValue value || value.GetValueKind() != JsonValueKind.String || type == FieldType.String)
            {
                continue;
            }
            var text = value.GetValue<string>();
            JsonNode? coerced = type switch
            {
                FieldType.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
                FieldType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
                FieldType.Boolean when bool.TryParse(text, out var b) => JsonValue.Create(b),
                _ => null,
            };
            if (coerced is null)
            {
                errors.Add(new EventError($"data.{field}", "type", $"'data.{field}' must be {type.ToString().ToLowerInvariant()} (got \"{Truncate(text)}\")"));
                continue;
            }
            data[field] = coerced;
            notes.Add($"data.{field}: \"{Truncate(text)}\" converted to {type.ToString().ToLowerInvariant()}");
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
