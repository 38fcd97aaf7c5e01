namespace Cairn.Tests.Schemas;

/// <summary>Schema files for the tests: the levelComplete event of the test game, 1.0.0 → 1.1.0 (an optional field) → 2.0.0.</summary>
internal static class SchemaFiles
{
    public const string V100 = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "properties": {
            "level": { "type": "integer", "minimum": 0 },
            "score": { "type": "integer", "minimum": 0, "maximum": 100 },
            "mode": { "enum": ["learn", "play", "quiz"] }
          },
          "required": ["level", "score"]
        }
        """;

    /// <summary>1.0.0 and an optional <c>hints</c> (compatible).</summary>
    public const string V110 = """
        {
          "type": "object",
          "properties": {
            "level": { "type": "integer", "minimum": 0 },
            "score": { "type": "number", "minimum": 0, "maximum": 100 },
            "mode": { "enum": ["learn", "play", "quiz", "review"] },
            "hints": { "type": "integer" }
          },
          "required": ["level", "score"]
        }
        """;

    /// <summary>A breaking change (score becomes a string): fine as a new major.</summary>
    public const string V200 = """
        {
          "type": "object",
          "properties": { "level": { "type": "integer" }, "grade": { "type": "string" } },
          "required": ["level", "grade"],
          "additionalProperties": false
        }
        """;

    /// <summary>Writes files (relative path → content) under a schemas directory.</summary>
    public static void Write(string directory, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(directory, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
    }
}
