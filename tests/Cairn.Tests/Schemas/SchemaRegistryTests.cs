using System.Text.Json.Nodes;
using Cairn.Ingest;
using Cairn.Schemas;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Tests.Schemas;

/// <summary>The schema registry without a server: loading, versions, compatibility, validation errors and reload.</summary>
public sealed class SchemaRegistryTests : IDisposable
{
    private const string Game = "g";
    private const string Type = "levelComplete";
    private readonly TempDirectory _root = new();

    private string Dir => _root.Combine("schemas");

    public void Dispose() => _root.Dispose();

    private EventSchemaRegistry Load(out SchemaReload reload)
    {
        var registry = new EventSchemaRegistry(Dir, NullLogger<EventSchemaRegistry>.Instance);
        reload = registry.Reload();
        return registry;
    }

    private static List<EventError> Check(EventSchemaRegistry registry, string? version, string data)
    {
        var errors = new List<EventError>();
        var ok = registry.Current.Validate(Game, Type, version, JsonNode.Parse(data) as JsonObject, errors);
        Assert.Equal(errors.Count == 0, ok);
        return errors;
    }

    [Fact]
    public void Issue_14_an_event_is_checked_against_its_version_and_each_failing_field_is_named_by_a_json_pointer()
    {
        SchemaFiles.Write(Dir, ($"{Game}/{Type}/1.0.0.json", SchemaFiles.V100), ($"{Game}/{Type}/1.1.0.json", SchemaFiles.V110), ($"{Game}/{Type}/2.0.0.json", SchemaFiles.V200));
        var registry = Load(out var reload);

        Assert.Empty(reload.Errors);
        Assert.Equal(3, reload.Schemas);
        Assert.Empty(Check(registry, "1.0.0", """{"level":3,"score":87,"mode":"quiz"}"""));
        var errors = Check(registry, "1.0.0", """{"level":-1,"mode":"review"}""");
        Assert.Equal(["/data/level", "/data/mode", "/data/score"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal("schema", e.Code));
        Assert.Contains("minimum", errors.Single(e => e.Path == "/data/level").Message, StringComparison.Ordinal);
        Assert.Contains("required", errors.Single(e => e.Path == "/data/score").Message, StringComparison.Ordinal);
        Assert.Contains("1.0.0", errors[0].Message, StringComparison.Ordinal);
        // 1.1.0 allows review and a fractional score, which 1.0.0 does not.
        Assert.Single(Check(registry, "1.0.0", """{"level":1,"score":2.5}"""));
        Assert.Empty(Check(registry, "1.1.0", """{"level":1,"score":2.5,"mode":"review"}"""));
    }

    [Fact]
    public void Issue_14_no_version_means_the_latest_an_unknown_minor_the_latest_of_its_major_and_an_unknown_major_analytics_version()
    {
        SchemaFiles.Write(Dir, ($"{Game}/{Type}/1.0.0.json", SchemaFiles.V100), ($"{Game}/{Type}/1.1.0.json", SchemaFiles.V110), ($"{Game}/{Type}/2.0.0.json", SchemaFiles.V200));
        var registry = Load(out _);

        // Latest is 2.0.0: grade is required and nothing else is allowed.
        Assert.Empty(Check(registry, null, """{"level":1,"grade":"A"}"""));
        Assert.Contains(Check(registry, null, """{"level":1,"score":5}"""), e => e.Path == "/data/grade");
        // 1.7.3 is not loaded: the latest of major 1 (1.1.0) decides.
        Assert.Empty(Check(registry, "1.7.3", """{"level":1,"score":2.5,"hints":2}"""));
        var unknown = Assert.Single(Check(registry, "3.0.0", """{"level":1}"""));
        Assert.Equal(("schemaVersion", "analytics_version"), (unknown.Path, unknown.Code));
        Assert.Contains("major version 3", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("analytics_version", Assert.Single(Check(registry, "1.x", "{}")).Code);
        // An event type without schemas is not checked.
        Assert.True(registry.Current.Validate(Game, "other", "9.0.0", new JsonObject { ["anything"] = 1 }, []));
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"level":{"type":"integer"},"mode":{"enum":["learn","play","quiz"]}},"required":["level","score"]}""", "property '/score': removed")]
    [InlineData("""{"type":"object","properties":{"level":{"type":"integer"},"score":{"type":"integer"},"mode":{"enum":["learn","play","quiz"]}},"required":["level","score","mode"]}""", "property '/mode': newly required")]
    [InlineData("""{"type":"object","properties":{"level":{"type":"string"},"score":{"type":"integer"},"mode":{"enum":["learn","play","quiz"]}},"required":["level","score"]}""", "property '/level': type narrowed")]
    [InlineData("""{"type":"object","properties":{"level":{"type":"integer"},"score":{"type":"integer"},"mode":{"enum":["learn","play"]}},"required":["level","score"]}""", "property '/mode': enum value \"quiz\" was removed")]
    public void Issue_14_an_incompatible_minor_is_refused_with_the_file_and_the_property(string schema, string problem)
    {
        SchemaFiles.Write(Dir, ($"{Game}/{Type}/1.0.0.json", SchemaFiles.V100), ($"{Game}/{Type}/1.1.0.json", schema));

        var registry = Load(out var reload);

        var error = Assert.Single(reload.Errors);
        Assert.StartsWith(Path.Combine(Dir, Game, Type, "1.1.0.json") + ": not backward compatible with 1.0.0: " + problem, error, StringComparison.Ordinal);
        Assert.Equal(["1.0.0"], registry.Current.For(Game, Type)!.Select(s => s.Version.ToString()));
    }

    [Fact]
    public void Issue_14_a_broken_file_is_refused_with_its_reason_and_on_reload_the_previous_good_version_stays()
    {
        var file = Path.Combine(Dir, Game, Type, "1.0.0.json");
        SchemaFiles.Write(Dir, ($"{Game}/{Type}/1.0.0.json", SchemaFiles.V100));
        var registry = Load(out _);

        File.WriteAllText(file, """{"type":"object","properties":{"level":{"type":"integer","minimum":"zero"}}}""");
        SchemaFiles.Write(Dir, ("g/other/1.0.0.json", """{"type":"object"""), ("g/other/v1.json", "{}"),
            ("g/third/1.0.0.json", """{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}"""),
            ("g/fourth/1.0.0.json", """{"type":"object","properties":{"a":{"$ref":"https://example.com/a.json"}}}"""));
        var reload = registry.Reload();

        Assert.Equal(5, reload.Errors.Count);
        Assert.Contains(reload.Errors, e => e.Contains("'https://example.com/a.json' refers outside this file", StringComparison.Ordinal));
        Assert.Contains(reload.Errors, e => e.StartsWith(file + ": not a valid JSON Schema", StringComparison.Ordinal));
        Assert.Contains(reload.Errors, e => e.StartsWith(Path.Combine(Dir, "g", "other", "1.0.0.json") + ": not valid JSON", StringComparison.Ordinal));
        Assert.Contains(reload.Errors, e => e.StartsWith(Path.Combine(Dir, "g", "other", "v1.json") + ": 'v1' is not a version", StringComparison.Ordinal));
        Assert.Contains(reload.Errors, e => e.Contains("draft 2020-12", StringComparison.Ordinal));
        // The working 1.0.0 stays in force: score is still required.
        Assert.Contains(Check(registry, "1.0.0", """{"level":1}"""), e => e.Path == "/data/score");
    }
}
