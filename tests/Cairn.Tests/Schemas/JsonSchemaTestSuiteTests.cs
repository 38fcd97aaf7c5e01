using System.Text.Json;
using Cairn.Tests.Support;
using Json.Schema;
using Xunit.Abstractions;

namespace Cairn.Tests.Schemas;

/// <summary>
/// The registry's validator (JsonSchema.Net, as <c>SchemaLoader</c> builds it) against every required case of the
/// JSON-Schema-Test-Suite draft 2020-12 for the keywords docs/ingest.md lists as supported. Remote references
/// (<c>http://localhost:1234/…</c>) are served from the suite's <c>remotes</c> folder, never the network.
/// </summary>
public sealed class JsonSchemaTestSuiteTests(ITestOutputHelper output)
{
    /// <summary>The suite's files for the keywords Cairn documents as supported (docs/ingest.md, "Supported keywords").</summary>
    public static readonly string[] Supported =
    [
        "additionalProperties", "allOf", "anchor", "anyOf", "boolean_schema", "const", "contains", "content", "default", "defs",
        "dependentRequired", "dependentSchemas", "dynamicRef", "enum", "exclusiveMaximum", "exclusiveMinimum", "format", "if-then-else",
        "infinite-loop-detection", "items", "maxContains", "maxItems", "maxLength", "maxProperties", "maximum", "minContains", "minItems",
        "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern", "patternProperties", "prefixItems", "properties",
        "propertyNames", "ref", "refRemote", "required", "type", "unevaluatedItems", "unevaluatedProperties", "uniqueItems", "vocabulary",
    ];

    /// <summary>Cases skipped, as "file: case description / test description" → why (each must exist in the suite).</summary>
    private static readonly Dictionary<string, string> Skipped = new(StringComparer.Ordinal)
    {
        ["pattern: pattern with Unicode property escape requires unicode mode / ASCII letters match"] = LongUnicodeNames,
        ["pattern: pattern with Unicode property escape requires unicode mode / Non-ASCII letters match"] = LongUnicodeNames,
        ["pattern: pattern with Unicode property escape requires unicode mode / Digits do not match"] = LongUnicodeNames,
        ["patternProperties: patternProperties with Unicode property escape / Unicode letter property name matches"] = LongUnicodeNames,
        ["patternProperties: patternProperties with Unicode property escape / Non-letter property name does not match pattern"] = LongUnicodeNames,
    };

    private const string LongUnicodeNames =
        ".NET regular expressions know only the short Unicode category names (\\p{L}, not \\p{Letter}): the schema is refused at load (docs/ingest.md says so)";

    [SkippableFact]
    public void Issue_14_the_validator_passes_every_required_case_of_the_supported_keywords()
    {
        var suite = SharedData.RequireJsonSchemaTestSuite();
        var registry = Remotes(Path.Combine(suite, "remotes"));
        var failures = new List<string>();
        var skippedSeen = new HashSet<string>(StringComparer.Ordinal);
        var passed = 0;
        foreach (var keyword in Supported)
        {
            using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(suite, "tests", "draft2020-12", keyword + ".json")));
            foreach (var group in file.RootElement.EnumerateArray())
            {
                var groupName = $"{keyword}: {group.GetProperty("description").GetString()}";
                JsonSchema? schema = null;
                string? buildError = null;
                try
                {
                    schema = JsonSchema.Build(group.GetProperty("schema"), new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 });
                }
                catch (Exception ex) when (ex is JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException)
                {
                    buildError = ex.Message;
                }
                foreach (var test in group.GetProperty("tests").EnumerateArray())
                {
                    var name = $"{groupName} / {test.GetProperty("description").GetString()}";
                    if (Skipped.TryGetValue(name, out var reason))
                    {
                        skippedSeen.Add(name);
                        output.WriteLine($"skipped: {name}: {reason}");
                        continue;
                    }
                    var expected = test.GetProperty("valid").GetBoolean();
                    if (schema is null)
                    {
                        failures.Add($"{name}: the schema did not build: {buildError}");
                        continue;
                    }
                    bool actual;
                    try
                    {
                        actual = schema.Evaluate(test.GetProperty("data"), new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
                    }
                    catch (Exception ex) when (ex is JsonSchemaException or RefResolutionException or InvalidOperationException)
                    {
                        failures.Add($"{name}: evaluation threw {ex.GetType().Name}: {ex.Message}");
                        continue;
                    }
                    if (actual != expected)
                    {
                        failures.Add($"{name}: expected {(expected ? "valid" : "invalid")}");
                    }
                    else
                    {
                        passed++;
                    }
                }
            }
        }
        output.WriteLine($"{passed} cases passed, {skippedSeen.Count} skipped");
        Assert.True(failures.Count == 0, $"{failures.Count} cases failed:\n" + string.Join('\n', failures));
        // A skip that names no case any more is stale: the list must say exactly what is skipped.
        Assert.Empty(Skipped.Keys.Except(skippedSeen));
        Assert.True(passed > 1000, $"only {passed} cases ran");
    }

    /// <summary>The suite's remotes, registered under the address the tests use for them.</summary>
    private static SchemaRegistry Remotes(string folder)
    {
        var registry = new SchemaRegistry();
        var pending = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        // A remote may refer to another: register in passes until nothing more builds.
        for (var pass = 0; pass < 4 && pending.Count > 0; pass++)
        {
            foreach (var file in pending.ToList())
            {
                var uri = new Uri("http://localhost:1234/" + Path.GetRelativePath(folder, file).Replace('\\', '/'));
                try
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(file));
                    var schema = JsonSchema.Build(document.RootElement.Clone(), new BuildOptions { SchemaRegistry = registry }, uri);
                    // A remote whose $id differs from its address is found by its address too.
                    if (schema.BaseUri != uri)
                    {
                        registry.Register(uri, schema);
                    }
                    pending.Remove(file);
                }
                catch (Exception ex) when (ex is JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException or JsonException)
                {
                    // Tried again in the next pass.
                }
            }
        }
        return registry;
    }
}
