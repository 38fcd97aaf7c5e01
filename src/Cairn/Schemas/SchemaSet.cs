using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Ingest;
using Json.Schema;

namespace Cairn.Schemas;

/// <summary>
/// The schemas in force, per (game, event type), each with its versions in ascending order. Immutable: a reload swaps in a new
/// set. Checking an event reads nothing but this set (the schemas were compiled at load).
/// </summary>
internal sealed class SchemaSet
{
    public const string VersionCode = "analytics_version";
    public const string SchemaCode = "schema";

    public static readonly SchemaSet Empty = new([]);

    private static readonly FrozenDictionary<string, RegisteredSchema> NoDefaults = FrozenDictionary<string, RegisteredSchema>.Empty;

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    private readonly FrozenDictionary<(string Game, string EventType), RegisteredSchema[]> _schemas;

    private readonly FrozenDictionary<string, RegisteredSchema> _defaults;

    /// <param name="defaults">The default registry (<see cref="TaxonomySchemas.ByEventType"/>): the schema of an event type for
    /// every game without a schema file of that type; none when null.</param>
    public SchemaSet(IEnumerable<RegisteredSchema> schemas, FrozenDictionary<string, RegisteredSchema>? defaults = null)
    {
        _schemas = schemas.GroupBy(s => (s.Game, s.EventType))
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(s => s.Version).ToArray());
        _defaults = defaults ?? NoDefaults;
    }

    /// <summary>The default schemas in force, by event type (the taxonomy of seed 001; empty when turned off).</summary>
    public IReadOnlyDictionary<string, RegisteredSchema> Defaults => _defaults;

    public int Count => _schemas.Values.Sum(v => v.Length);

    public int EventTypes => _schemas.Count;

    /// <summary>Every schema, by game, event type and version.</summary>
    public IEnumerable<RegisteredSchema> All =>
        _schemas.Values.SelectMany(v => v).OrderBy(s => s.Game, StringComparer.Ordinal).ThenBy(s => s.EventType, StringComparer.Ordinal).ThenBy(s => s.Version);

    /// <summary>The versions of one event type, ascending; null when it has no schema.</summary>
    public IReadOnlyList<RegisteredSchema>? For(string game, string eventType) => _schemas.GetValueOrDefault((game, eventType));

    /// <summary>
    /// Checks an event's <c>data</c> against the schema of its type and version, adding an error per failing field; true when it
    /// passes or its type has no schema. The version: the event's <paramref name="version"/> if loaded, else the latest of its
    /// major; no version means the latest of all; a major with no schema is <c>analytics_version</c>.
    /// </summary>
    public bool Validate(string game, string eventType, string? version, JsonObject? data, List<EventError> errors)
    {
        RegisteredSchema? schema;
        if (_schemas.TryGetValue((game, eventType), out var versions))
        {
            schema = Resolve(eventType, versions, version, errors);
            if (schema is null)
            {
                return false;
            }
        }
        // The default registry has one version of its own: an event's schemaVersion names its game's versions, not the default's.
        else if (!_defaults.TryGetValue(eventType, out schema))
        {
            return true;
        }
        using var document = JsonDocument.Parse(data?.ToJsonString() ?? "{}");
        EvaluationResults results;
        try
        {
            results = schema.Compiled.Evaluate(document.RootElement, Evaluation);
        }
        // A schema the loader let through but the validator cannot evaluate rejects the event, never the request.
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            errors.Add(new EventError("/data", SchemaCode, $"the schema of '{eventType}' {schema.Version} could not be evaluated: {ex.Message}"));
            return false;
        }
        if (results.IsValid)
        {
            return true;
        }
        var before = errors.Count;
        foreach (var node in Flatten(results))
        {
            foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
            {
                var pointer = node.InstanceLocation.ToString();
                if (keyword == "required" && MissingRequired(schema, node, data) is { Count: > 0 } missing)
                {
                    foreach (var name in missing)
                    {
                        errors.Add(new EventError($"/data{pointer}/{SchemaCompatibility.Escape(name)}", SchemaCode,
                            $"required by the schema of '{eventType}' {schema.Version}, and missing"));
                    }
                    continue;
                }
                errors.Add(new EventError($"/data{pointer}", SchemaCode, $"{keyword}: {message} (schema of '{eventType}' {schema.Version})"));
            }
        }
        if (errors.Count == before)
        {
            errors.Add(new EventError("/data", SchemaCode, $"does not match the schema of '{eventType}' {schema.Version}"));
        }
        return false;
    }

    private static RegisteredSchema? Resolve(string eventType, RegisteredSchema[] versions, string? text, List<EventError> errors)
    {
        if (text is null)
        {
            return versions[^1];
        }
        if (!SchemaVersion.TryParse(text, out var wanted))
        {
            errors.Add(new EventError("schemaVersion", VersionCode, $"'schemaVersion' must be a version MAJOR.MINOR.PATCH such as \"{versions[^1].Version}\""));
            return null;
        }
        var exact = Array.Find(versions, s => s.Version == wanted);
        var ofMajor = exact ?? versions.LastOrDefault(s => s.Version.Major == wanted.Major);
        if (ofMajor is null)
        {
            var majors = string.Join(", ", versions.Select(s => s.Version.Major).Distinct());
            errors.Add(new EventError("schemaVersion", VersionCode,
                $"'{eventType}' has no schema of major version {wanted.Major} (known: {majors}; latest {versions[^1].Version}); update the client or the server's schemas"));
        }
        return ofMajor;
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults results)
    {
        yield return results;
        foreach (var detail in results.Details ?? [])
        {
            foreach (var inner in Flatten(detail))
            {
                yield return inner;
            }
        }
    }

    /// <summary>The properties a failing <c>required</c> names that the object at the instance location lacks.</summary>
    private static List<string>? MissingRequired(RegisteredSchema schema, EvaluationResults node, JsonObject? data)
    {
        var subschema = Locate(schema.Source, node.SchemaLocation.Fragment);
        var instance = Locate(data ?? [], "#" + node.InstanceLocation);
        if (subschema?["required"] is not JsonArray required || instance is not JsonObject obj)
        {
            return null;
        }
        return [.. required.Where(n => n?.GetValueKind() == JsonValueKind.String).Select(n => n!.GetValue<string>()).Where(n => !obj.ContainsKey(n))];
    }

    /// <summary>The node a URI fragment JSON Pointer (<c>#/a/0/b</c>) names, or null.</summary>
    private static JsonNode? Locate(JsonNode root, string fragment)
    {
        var pointer = Uri.UnescapeDataString(fragment.TrimStart('#'));
        JsonNode? current = root;
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }
}
