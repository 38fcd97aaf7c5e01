using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Cairn.Schemas;

/// <summary>
/// Reads the schema files of a directory: <c>{game}/{eventType}/{major}.{minor}.{patch}.json</c>, each a JSON Schema
/// (draft 2020-12) of the event's <c>data</c> object, compiled once here so that ingest only evaluates.
/// </summary>
internal static partial class SchemaLoader
{
    public const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    /// <summary>Every file under the directory that a schema could be, in a stable order (absent directory: none).</summary>
    public static IEnumerable<string> Files(string directory) =>
        System.IO.Directory.Exists(directory)
            ? System.IO.Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];

    /// <summary>Loads one file; throws <see cref="SchemaException"/> with the file and the reason.</summary>
    public static RegisteredSchema Load(string directory, string file)
    {
        var relative = Path.GetRelativePath(directory, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (relative.Length != 3)
        {
            throw new SchemaException(file, "a schema file is {game}/{eventType}/{major}.{minor}.{patch}.json under the schemas directory");
        }
        var (game, eventType, name) = (relative[0], relative[1], Path.GetFileNameWithoutExtension(relative[2]));
        if (!Name().IsMatch(game) || !Name().IsMatch(eventType))
        {
            throw new SchemaException(file, "the game and event type directories may hold only letters, digits and _ . -");
        }
        if (!SchemaVersion.TryParse(name, out var version))
        {
            throw new SchemaException(file, $"'{name}' is not a version: name the file MAJOR.MINOR.PATCH.json, such as 1.0.0.json");
        }
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SchemaException(file, $"cannot be read: {ex.Message}");
        }
        return Compile(file, game, eventType, version, text);
    }

    /// <summary>The first <c>$ref</c> or <c>$dynamicRef</c> that does not point within the file (<c>#…</c>), or null.</summary>
    private static string? ExternalReference(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (name is "$ref" or "$dynamicRef" && value is JsonValue v && v.GetValueKind() == JsonValueKind.String && !v.GetValue<string>().StartsWith('#'))
                    {
                        return v.GetValue<string>();
                    }
                    if (ExternalReference(value) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                return array.Select(ExternalReference).FirstOrDefault(r => r is not null);
            default:
                return null;
        }
    }

    public static RegisteredSchema Compile(string file, string game, string eventType, SchemaVersion version, string text)
    {
        JsonObject source;
        try
        {
            source = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new SchemaException(file, "a schema must be a JSON object ({\"type\":\"object\",\"properties\":{…}})");
        }
        catch (JsonException ex)
        {
            throw new SchemaException(file, $"not valid JSON: {ex.Message}");
        }
        if (source["$schema"] is { } declared && (declared.GetValueKind() != JsonValueKind.String || declared.GetValue<string>() != Draft202012))
        {
            throw new SchemaException(file, $"'$schema' must be \"{Draft202012}\" (only draft 2020-12 is supported), or be left out");
        }
        if (source["type"] is { } type && !(type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "object"))
        {
            throw new SchemaException(file, "a schema describes the event's 'data', which is an object: 'type' must be \"object\"");
        }
        if (ExternalReference(source) is { } reference)
        {
            throw new SchemaException(file, $"'{reference}' refers outside this file: only references within it (\"#/$defs/…\") are supported, and nothing is fetched");
        }
        try
        {
            // A registry of its own: nothing is shared between files or reloads, and nothing is ever fetched from the network.
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
            var compiled = JsonSchema.Build(JsonDocument.Parse(source.ToJsonString()).RootElement, options, new Uri($"https://schemas.cairn.invalid/{game}/{eventType}/{version}.json"));
            return new RegisteredSchema(game, eventType, version, file, compiled, source);
        }
        // Whatever the validator throws for a schema it cannot build is this file's problem, never the server's.
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new SchemaException(file, $"not a valid JSON Schema (draft 2020-12): {ex.Message}");
        }
    }
}
