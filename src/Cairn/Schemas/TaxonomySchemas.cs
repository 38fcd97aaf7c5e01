using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Cairn.Ingest.Sampling;

namespace Cairn.Schemas;

/// <summary>
/// The default registry: a JSON Schema (draft 2020-12) of the typed properties of seed 001 for each event type of the learning
/// categories of <see cref="Taxonomy"/> (gameplay, assignments, mastery, challenges). Every property is optional and other
/// properties are allowed, so the schema only refuses a value of the wrong type or out of its range (a score of 140, a
/// <c>passed</c> of "maybe") and drives the coercion of quoted numbers ("87" → 87). A game's own schema file of the same
/// event type replaces it for that game; <c>Schemas:Taxonomy=false</c> turns the defaults off.
/// </summary>
internal static class TaxonomySchemas
{
    /// <summary>The game name the defaults are listed and keyed under (no game can be named so).</summary>
    public const string AnyGame = "*";

    public static readonly SchemaVersion Version = new(1, 0, 0);

    /// <summary>Seed 001, "Game-Specific Properties".</summary>
    private static JsonObject GameProperties() => new()
    {
        ["game_id"] = new JsonObject { ["type"] = "string", ["description"] = "the game (seed 001 writes G-XXXXX)" },
        ["stage_id"] = new JsonObject { ["type"] = "string", ["description"] = "the stage (seed 001 writes G-XXXXX-stage)" },
        ["stage_type"] = Enum("learn", "play", "quiz", "challenge", "review"),
        ["score"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 100 },
        ["max_score"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
        ["passed"] = new JsonObject { ["type"] = "boolean" },
        ["duration_ms"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
        ["attempts"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
        ["mistake_count"] = Nullable("integer", 0),
        ["input_mode"] = Enum("mouse", "keyboard", "midi", "touch"),
        ["device_profile"] = Enum("any", "midi_required", "mic_optional", "mic_required"),
    };

    /// <summary>Seed 001, "Learning Analytics Properties".</summary>
    private static JsonObject LearningProperties() => new()
    {
        ["concept_tags"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
        ["difficulty_level"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 10 },
        ["mastery_status"] = Enum("not_started", "in_progress", "mastered", "reviewed"),
        ["time_to_mastery_ms"] = Nullable("integer", 0),
        ["retention_score"] = Nullable("integer", null),
        ["adaptive_difficulty"] = Nullable("integer", null),
        ["learning_style"] = Enum("visual", "aural", "kinesthetic", "mixed"),
    };

    private static JsonObject Enum(params string[] values) =>
        new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };

    private static JsonObject Nullable(string type, int? minimum)
    {
        var schema = new JsonObject { ["type"] = new JsonArray(type, "null") };
        if (minimum is { } min)
        {
            schema["minimum"] = min;
        }
        return schema;
    }

    /// <summary>The source of the default schema of one category's events, or null when the category has no typed properties.</summary>
    public static JsonObject? SourceFor(TaxonomyCategory category)
    {
        if (category.Properties == TaxonomyProperties.None)
        {
            return null;
        }
        var properties = new JsonObject();
        foreach (var set in new[] { (TaxonomyProperties.Game, GameProperties()), (TaxonomyProperties.Learning, LearningProperties()) })
        {
            if (category.Properties.HasFlag(set.Item1))
            {
                foreach (var (name, value) in set.Item2.ToArray())
                {
                    set.Item2.Remove(name);
                    properties[name] = value;
                }
            }
        }
        return new JsonObject
        {
            ["$schema"] = SchemaLoader.Draft202012,
            ["title"] = $"seed 001 properties of the '{category.Name}' category",
            ["type"] = "object",
            ["properties"] = properties,
        };
    }

    /// <summary>Every default schema, by event type (compiled once per process: they never change).</summary>
    public static readonly FrozenDictionary<string, RegisteredSchema> ByEventType = Build();

    private static FrozenDictionary<string, RegisteredSchema> Build()
    {
        var all = new Dictionary<string, RegisteredSchema>(StringComparer.Ordinal);
        foreach (var category in Taxonomy.All)
        {
            if (SourceFor(category) is not { } source)
            {
                continue;
            }
            var text = source.ToJsonString();
            foreach (var eventType in category.EventTypes)
            {
                all[eventType] = SchemaLoader.Compile($"(default registry: {category.Name})", AnyGame, eventType, Version, text);
            }
        }
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
