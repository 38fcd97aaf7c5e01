using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Ingest.WebSockets;
using Cairn.Tests.Support;

namespace Cairn.Tests.Schemas;

/// <summary>The schema registry over HTTP and the WebSocket, on a real server; a subclass per store says how to start it.</summary>
public abstract class SchemaIngestTests
{
    private protected abstract Task<TestServer> StartServerAsync();

    private static string SchemasOf(TestServer server) => server.Root.Combine("schemas");

    /// <summary>A server whose test game has levelComplete 1.0.0, 1.1.0 and 2.0.0 (written before the start: loaded at start).</summary>
    private async Task<TestServer> StartWithSchemasAsync()
    {
        var server = await StartServerAsync();
        SchemaFiles.Write(SchemasOf(server), ($"{TestServer.Game}/levelComplete/1.0.0.json", SchemaFiles.V100),
            ($"{TestServer.Game}/levelComplete/1.1.0.json", SchemaFiles.V110), ($"{TestServer.Game}/levelComplete/2.0.0.json", SchemaFiles.V200));
        // The default directory is 'schemas' beside the catalogs: a restart loads what was just written there.
        await server.RestartAsync();
        return server;
    }

    private static JsonObject Event(string? version, JsonObject data)
    {
        var e = Events.Canonical(Events.NewId(), "schema.ada@example.com");
        e["data"] = data;
        if (version is not null)
        {
            e["schemaVersion"] = version;
        }
        return e;
    }

    private static async Task<JsonElement> SchemasListAsync(TestServer server)
    {
        using var response = await server.GetAsAdminAsync($"/v1/schemas?game={TestServer.Game}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        return body.RootElement.Clone();
    }

    [SkippableFact]
    public async Task Issue_14_each_event_is_accepted_or_rejected_on_its_own_with_a_pointer_per_failing_field()
    {
        await using var server = await StartWithSchemasAsync();

        using var body = await server.IngestAsync(Events.Array(
            Event("1.0.0", new JsonObject { ["level"] = 3, ["score"] = 87 }),
            Event("1.0.0", new JsonObject { ["level"] = -1, ["mode"] = "chess" }),
            Event("7.0.0", new JsonObject { ["level"] = 3, ["score"] = 87 }),
            Event(null, new JsonObject { ["level"] = 3, ["grade"] = "B" }),
            Event(null, new JsonObject { ["level"] = 3, ["score"] = 87 })));

        var results = body.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["accepted", "rejected", "rejected", "accepted", "rejected"], results.Select(r => r.GetProperty("status").GetString()));
        var errors = results[1].GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["/data/level", "/data/mode", "/data/score"], errors.Select(e => e.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal("schema", e.GetProperty("code").GetString()));
        Assert.Contains("minimum", errors.Single(e => e.GetProperty("path").GetString() == "/data/level").GetProperty("message").GetString(), StringComparison.Ordinal);
        var version = Assert.Single(results[2].GetProperty("errors").EnumerateArray());
        Assert.Equal("analytics_version", version.GetProperty("code").GetString());
        // Without a version, the latest (2.0.0) decides: it accepts no 'score' and requires 'grade'.
        Assert.Contains(results[4].GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString() == "/data/grade");
        Assert.Equal(2, server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE game = '{TestServer.Game}';"));
        Assert.Equal(3, server.Sql.Scalar($"SELECT COUNT(*) FROM rejected_events WHERE game = '{TestServer.Game}';"));
    }

    [SkippableFact]
    public async Task Issue_14_a_quoted_number_is_coerced_per_the_schemas_property_type()
    {
        await using var server = await StartWithSchemasAsync();

        using var body = await server.IngestAsync(Events.Array(
            Event(null, new JsonObject { ["level"] = "4", ["grade"] = "A" }),
            Event(null, new JsonObject { ["level"] = "four", ["grade"] = "A" })));

        var results = body.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        Assert.Contains("data.level: \"4\" converted to integer", results[0].GetProperty("normalized").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("rejected", results[1].GetProperty("status").GetString());
        Assert.Equal("data.level", results[1].GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(1, server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE game = '{TestServer.Game}';"));
    }

    [SkippableFact]
    public async Task Issue_14_the_websocket_sets_the_version_from_analyticsVersion_and_an_unknown_major_fails_each_event()
    {
        await using var server = await StartWithSchemasAsync();
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey);
        await socket.ExpectAsync("ready");
        JsonObject WsEvent(JsonObject data)
        {
            var e = Event(null, data);
            e.Remove("eventId");
            return e;
        }

        await socket.SendAsync(new { type = "analytics", seq = 1, clientGuid = "schema-client", analyticsVersion = "1.1.0",
            events = new[] { WsEvent(new JsonObject { ["level"] = 1, ["score"] = 2.5 }), WsEvent(new JsonObject { ["level"] = 1 }) } });
        var ack = await socket.ExpectAsync("ack");
        await socket.SendAsync(new { type = "analytics", seq = 2, clientGuid = "schema-client", analyticsVersion = "5.0.0",
            events = new[] { WsEvent(new JsonObject { ["level"] = 1, ["score"] = 2 }) } });
        var unknown = await socket.ExpectAsync("ack");

        Assert.Equal((1, 1), (ack.GetProperty("accepted").GetInt32(), ack.GetProperty("rejected").GetInt32()));
        Assert.Equal("/data/score", ack.GetProperty("results")[1].GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(1, unknown.GetProperty("rejected").GetInt32());
        Assert.Equal("analytics_version", unknown.GetProperty("results")[0].GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(1, server.Sql.Scalar("SELECT COUNT(*) FROM events WHERE event_id LIKE 'schema-client:%' AND schema_version = '1.1.0';"));
    }

    [SkippableFact]
    public async Task Issue_14_a_changed_directory_is_reloaded_a_broken_file_keeps_its_previous_version_and_the_list_says_what_is_in_force()
    {
        await using var server = await StartWithSchemasAsync();
        var dir = SchemasOf(server);
        var before = await SchemasListAsync(server);
        var levelComplete = before.GetProperty("games")[0].GetProperty("eventTypes")[0];
        Assert.Equal(["1.0.0", "1.1.0", "2.0.0"], levelComplete.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("2.0.0", levelComplete.GetProperty("latest").GetString());

        // 1.1.0 is broken and a new 1.2.0 arrives in the same change; once 1.2.0 is listed the reload has happened.
        SchemaFiles.Write(dir, ($"{TestServer.Game}/levelComplete/1.1.0.json", """{"type":"object","properties":{"""),
            ($"{TestServer.Game}/levelComplete/1.2.0.json", SchemaFiles.V110.Replace("\"hints\"", "\"stars\": { \"type\": \"integer\" }, \"hints\"", StringComparison.Ordinal)),
            ($"{TestServer.Game}/sessionStart/1.0.0.json", """{"type":"object","properties":{"build":{"type":"string"}},"required":["build"]}"""));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string[] versions = [];
        while (DateTime.UtcNow < deadline)
        {
            var list = await SchemasListAsync(server);
            versions = [.. list.GetProperty("games")[0].GetProperty("eventTypes").EnumerateArray()
                .SelectMany(t => t.GetProperty("versions").EnumerateArray().Select(v => $"{t.GetProperty("eventType").GetString()} {v.GetString()}"))];
            if (versions.Contains("levelComplete 1.2.0") && versions.Contains("sessionStart 1.0.0"))
            {
                break;
            }
            await Task.Delay(200);
        }

        Assert.Equal(["levelComplete 1.0.0", "levelComplete 1.1.0", "levelComplete 1.2.0", "levelComplete 2.0.0", "sessionStart 1.0.0"], versions);
        var start = Events.Canonical(Events.NewId(), "schema.ada@example.com");
        start["eventType"] = "sessionStart";
        start["data"] = new JsonObject();
        using var body = await server.IngestAsync(Events.Array(
            Event("1.1.0", new JsonObject { ["level"] = 1, ["score"] = 2.5, ["mode"] = "review" }),
            Event("1.2.0", new JsonObject { ["level"] = 1, ["score"] = 2, ["stars"] = "many" }),
            start));
        var results = body.RootElement.GetProperty("results").EnumerateArray().ToList();
        // The working 1.1.0 stays in force; 1.2.0 and sessionStart are checked from the moment they are loaded.
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        Assert.Equal("/data/stars", results[1].GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal("/data/build", results[2].GetProperty("errors")[0].GetProperty("path").GetString());
    }

    [SkippableFact]
    public async Task Issue_14_the_schema_list_of_a_game_without_schemas_is_empty_and_a_bad_game_is_a_400()
    {
        await using var server = await StartWithSchemasAsync();

        using var other = await server.GetAsAdminAsync("/v1/schemas?game=nothing-here");
        using var bad = await server.GetAsAdminAsync("/v1/schemas?game=");
        using var all = await server.GetAsAdminAsync("/v1/schemas");

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(0, (await TestServer.ReadJsonAsync(other)).RootElement.GetProperty("games").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'game'", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(TestServer.Game, (await TestServer.ReadJsonAsync(all)).RootElement.GetProperty("games")[0].GetProperty("game").GetString());
    }
}
