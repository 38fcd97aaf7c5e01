using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Schemas;

/// <summary>
/// Whether a new minor or patch version accepts everything the previous version of its major accepted (seed 003: minors add
/// optional fields). Checked on <c>properties</c>, nested objects too: no property removed, no property newly required, no
/// type narrowed (a type dropped from the list; integer → number widens), no enum value dropped (or an enum added), and
/// <c>additionalProperties</c> not turned to false. The first problem is named with the JSON Pointer of its property in <c>data</c>.
/// </summary>
internal static class SchemaCompatibility
{
    /// <summary>Every incompatibility of <paramref name="next"/> with <paramref name="previous"/>, as "property /x: what".</summary>
    public static List<string> Problems(JsonObject previous, JsonObject next)
    {
        var problems = new List<string>();
        Compare(previous, next, "", problems);
        return problems;
    }

    private static void Compare(JsonObject previous, JsonObject next, string pointer, List<string> problems)
    {
        var where = pointer.Length == 0 ? "the data object" : $"property '{pointer}'";
        var before = Types(previous);
        var after = Types(next);
        if (after is not null)
        {
            var lost = before is null ? ["any type"] : before.Where(t => !after.Contains(t) && !(t == "integer" && after.Contains("number"))).ToList();
            if (lost.Count > 0)
            {
                problems.Add($"{where}: type narrowed to {string.Join("|", after)} (the previous version allowed {string.Join("|", before ?? ["any type"])})");
            }
        }
        if (next["enum"] is JsonArray nextEnum)
        {
            if (previous["enum"] is not JsonArray previousEnum)
            {
                problems.Add($"{where}: an enum was added (the previous version allowed any value)");
            }
            else if (previousEnum.Where(v => !nextEnum.Any(n => JsonNode.DeepEquals(v, n))).ToList() is [var first, ..])
            {
                problems.Add($"{where}: enum value {first?.ToJsonString() ?? "null"} was removed");
            }
        }
        if (IsFalse(next["additionalProperties"]) && !IsFalse(previous["additionalProperties"]))
        {
            problems.Add($"{where}: additionalProperties became false (the previous version accepted other properties)");
        }
        var previousRequired = Names(previous["required"]);
        foreach (var name in Names(next["required"]).Where(n => !previousRequired.Contains(n)))
        {
            problems.Add($"property '{pointer}/{Escape(name)}': newly required (a minor or patch version may add only optional properties)");
        }
        var previousProperties = previous["properties"] as JsonObject;
        var nextProperties = next["properties"] as JsonObject;
        foreach (var (name, schema) in previousProperties ?? [])
        {
            var child = $"{pointer}/{Escape(name)}";
            if (nextProperties is null || !nextProperties.TryGetPropertyValue(name, out var replacement))
            {
                problems.Add($"property '{child}': removed (the previous version defined it)");
                continue;
            }
            if (schema is JsonObject a && replacement is JsonObject b)
            {
                Compare(a, b, child, problems);
            }
            else if (IsFalse(replacement) && !IsFalse(schema))
            {
                problems.Add($"property '{child}': now false (accepts no value)");
            }
        }
    }

    private static List<string>? Types(JsonObject schema) => schema["type"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a => [.. a.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "?")],
        _ => null,
    };

    private static HashSet<string> Names(JsonNode? node) =>
        node is JsonArray a ? [.. a.Where(n => n?.GetValueKind() == JsonValueKind.String).Select(n => n!.GetValue<string>())] : [];

    private static bool IsFalse(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.False;

    /// <summary>A name as a JSON Pointer token (RFC 6901: ~ → ~0, / → ~1).</summary>
    internal static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
