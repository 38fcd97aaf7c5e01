using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Schemas;

/// <summary>
/// The default registry of the seed 001 taxonomy on a real server: typed properties of the learning categories checked and
/// coerced for every game without a schema of its own, each event type kept under its category's privacy level (so retention
/// follows the category), the registry listed at <c>/v1/schemas</c>, and <c>cairn import</c> held to the same schemas and to
/// the players' category consent.
/// </summary>
public sealed class TaxonomyRegistryTests
{
    private const string Player = "taxonomy.ada@school.example";

    private static JsonObject Event(string eventType, JsonObject? data = null, string? privacyLevel = null, string? version = null)
    {
        var e = Events.Canonical(Events.NewId(), Player);
        e["eventType"] = eventType;
        e["data"] = data ?? new JsonObject();
        if (privacyLevel is not null)
        {
            e["privacyLevel"] = privacyLevel;
        }
        if (version is not null)
        {
            e["schemaVersion"] = version;
        }
        return e;
    }

    private static List<JsonElement> Results(JsonDocument body) => [.. body.RootElement.GetProperty("results").EnumerateArray().Select(r => r.Clone())];

    private static string StoredLevel(TestServer server, string eventId) =>
        server.Sql.Column($"SELECT privacy_level FROM events WHERE event_id = '{eventId}';").Single();

    [Fact]
    public async Task Issue_14_the_seed_001_properties_of_a_learning_event_are_typed_for_every_game_without_a_schema_of_its_own()
    {
        await using var server = await TestServer.StartAsync();

        using var body = await server.IngestAsync(Events.Array(
            Event("game_stage_complete", new JsonObject { ["stage_id"] = "G-01542-quiz", ["score"] = "87", ["passed"] = "true", ["anything_else"] = "kept" }),
            Event("game_stage_complete", new JsonObject { ["score"] = 140, ["stage_type"] = "boss" }),
            Event("concept_mastered", new JsonObject { ["concept_tags"] = "treble_staff", ["difficulty_level"] = 11 }),
            Event("game_stage_start", new JsonObject { ["stage_id"] = "G-01542-quiz" }, version: "7.2.0"),
            Event("levelComplete", new JsonObject { ["score"] = 140 })));

        var results = Results(body);
        Assert.Equal(["accepted", "rejected", "rejected", "accepted", "accepted"], results.Select(r => r.GetProperty("status").GetString()));
        // Quoted values coerced by the default schema's types; a property it does not name is left alone.
        var stored = server.Sql.Column($"SELECT data FROM events WHERE event_id = '{results[0].GetProperty("eventId").GetString()}';").Single();
        using (var data = JsonDocument.Parse(stored))
        {
            Assert.Equal(JsonValueKind.Number, data.RootElement.GetProperty("score").ValueKind);
            Assert.True(data.RootElement.GetProperty("passed").GetBoolean());
            Assert.Equal("kept", data.RootElement.GetProperty("anything_else").GetString());
        }
        Assert.Equal(["/data/score", "/data/stage_type"], Paths(results[1]));
        Assert.Equal(["/data/concept_tags", "/data/difficulty_level"], Paths(results[2]));
        Assert.All(results[1].GetProperty("errors").EnumerateArray(), e => Assert.Equal("schema", e.GetProperty("code").GetString()));
    }

    private static List<string> Paths(JsonElement result) =>
        [.. result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Issue_14_a_game_schema_file_replaces_the_default_for_its_game_and_the_defaults_can_be_turned_off()
    {
        await using var server = await TestServer.StartAsync();
        // This game's own game_stage_complete allows any score (and the other games keep the default).
        SchemaFiles.Write(server.Root.Combine("schemas"), ($"{TestServer.Game}/game_stage_complete/1.0.0.json",
            """{"type":"object","properties":{"score":{"type":"integer"}}}"""));
        await server.RestartAsync();
        using (var own = await server.IngestAsync(Events.Array(Event("game_stage_complete", new JsonObject { ["score"] = 140, ["stage_type"] = "boss" }))))
        {
            Assert.Equal("accepted", Results(own)[0].GetProperty("status").GetString());
        }
        using (var list = await server.GetAsAdminAsync($"/v1/schemas?game={TestServer.Game}"))
        {
            using var json = await TestServer.ReadJsonAsync(list);
            Assert.True(json.RootElement.GetProperty("defaults").GetProperty("enabled").GetBoolean());
        }

        await server.RestartAsync(new Dictionary<string, string?> { ["Schemas:Taxonomy"] = "false" });
        using var off = await server.IngestAsync(Events.Array(Event("concept_mastered", new JsonObject { ["difficulty_level"] = 11 })));
        Assert.Equal("accepted", Results(off)[0].GetProperty("status").GetString());
        using var listed = await server.GetAsAdminAsync("/v1/schemas");
        using var body = await TestServer.ReadJsonAsync(listed);
        Assert.False(body.RootElement.GetProperty("defaults").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Issue_14_each_event_type_is_kept_under_its_categorys_privacy_level_which_a_client_may_only_raise()
    {
        await using var server = await TestServer.StartAsync();
        JsonObject[] events =
        [
            Event("user_login"),                               // authentication: sensitive
            Event("user_login", privacyLevel: "standard"),     // may not lower it
            Event("page_load_time"),                           // performance: system
            Event("client_tick", privacyLevel: "sensitive"),   // heartbeat stays system
            Event("game_stage_complete"),                      // gameplay: standard
            Event("game_stage_complete", privacyLevel: "pii"), // may raise it
            Event("payment_processed"),                        // subscription: sensitive
            Event("levelComplete"),                            // no category: standard
            Event("levelComplete", privacyLevel: "system"),    // no category: what it names
        ];
        using var body = await server.IngestAsync(Events.Array(events));
        var results = Results(body);
        Assert.All(results, r => Assert.Equal("accepted", r.GetProperty("status").GetString()));

        Assert.Equal(["sensitive", "sensitive", "system", "system", "standard", "pii", "sensitive", "standard", "system"],
            events.Select(e => StoredLevel(server, e["eventId"]!.GetValue<string>())));
        // A replaced level is said in the event's notes; a default one is not.
        Assert.Contains(results[1].GetProperty("normalized").EnumerateArray(), n => n.GetString()!.Contains("'authentication' category", StringComparison.Ordinal));
        Assert.False(results[0].TryGetProperty("normalized", out var none) && none.ValueKind == JsonValueKind.Array && none.GetArrayLength() > 0);
    }

    [Fact]
    public async Task Issue_14_retention_follows_the_category_a_login_goes_after_three_years_a_stage_after_seven()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Retention:PeriodHours"] = "0" });
        var fourYearsAgo = DateTimeOffset.UtcNow.AddDays(-4 * 365);
        var login = Event("user_login");
        var stage = Event("game_stage_complete");
        var crash = Event("game_error");
        foreach (var e in new[] { login, stage, crash })
        {
            e["timestamp"] = fourYearsAgo.ToString("O");
        }
        using (await server.IngestAsync(Events.Array(login, stage, crash)))
        {
        }
        await server.StopAsync();

        var purge = await CairnCli.RunAsync(server.Root.Path, ["purge", "--data", server.DataDirectory]);

        Assert.True(purge.ExitCode == 0, purge.Output + purge.Error);
        Assert.Equal([stage["eventId"]!.GetValue<string>()], server.Sql.Column("SELECT event_id FROM events;"));
    }

    [Fact]
    public async Task Issue_14_the_default_registry_is_listed_with_every_category_of_seed_001_and_its_privacy_level()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.GetAsAdminAsync("/v1/schemas");
        using var body = await TestServer.ReadJsonAsync(response);

        var defaults = body.RootElement.GetProperty("defaults");
        Assert.Equal("1.0.0", defaults.GetProperty("version").GetString());
        var categories = defaults.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("category").GetString()!, c => c.Clone());
        string[] seed001 = ["authentication", "navigation", "content_access", "communication", "gameplay", "assignments", "mastery",
            "challenges", "performance", "errors", "health", "subscription", "usage", "support"];
        Assert.All(seed001, c => Assert.True(categories.ContainsKey(c), c));
        Assert.Equal("sensitive", categories["support"].GetProperty("privacyLevel").GetString());
        Assert.Equal("system", categories["usage"].GetProperty("privacyLevel").GetString());
        Assert.Contains("support_ticket_created", categories["support"].GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.True(categories["mastery"].GetProperty("typed").GetBoolean());
        Assert.False(categories["navigation"].GetProperty("typed").GetBoolean());
        // The games list only the files: no game has any here.
        Assert.Equal(0, body.RootElement.GetProperty("games").GetArrayLength());
    }

    [Fact]
    public async Task Issue_14_cairn_import_checks_the_schemas_and_drops_what_a_player_declined()
    {
        await using var server = await TestServer.StartAsync();
        using (var consent = await server.SendAsync(HttpMethod.Put, "/v1/players/consent", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, playerId = Player, categories = new { social = false } })))
        {
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        }
        await server.StopAsync();
        var lines = new[]
        {
            Event("game_stage_complete", new JsonObject { ["score"] = "87" }),
            Event("game_stage_complete", new JsonObject { ["score"] = 140 }),
            Event("party_join"),
            Event("levelComplete"),
        };
        var file = server.Root.Combine("history.jsonl");
        await File.WriteAllLinesAsync(file, lines.Select(l => l.ToJsonString()));

        var result = await CairnCli.RunAsync(server.Root.Path, new Dictionary<string, string> { ["Identity__Pepper"] = TestServer.Pepper },
            ["import", file, "--org", TestServer.Org, "--game", TestServer.Game, "--data", server.DataDirectory, "--catalogs", server.CatalogsDirectory, "--quiet", "--no-jobs"]);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("accepted   2", result.Output, StringComparison.Ordinal);
        Assert.Contains("rejected   1", result.Output, StringComparison.Ordinal);
        Assert.Contains("dropped    1", result.Output, StringComparison.Ordinal);
        Assert.Equal(["game_stage_complete", "levelComplete"], server.Sql.Column("SELECT event_type FROM events ORDER BY event_type;"));
        // The quoted score was coerced by the default schema, as ingest over HTTP would.
        Assert.Equal("integer", server.Sql.Column("SELECT json_type(data, '$.score') FROM events WHERE event_type = 'game_stage_complete';").Single());
    }
}
