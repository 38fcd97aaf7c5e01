using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>POST /v1/events end to end, and what the store then holds; a subclass per store says how to start the server.</summary>
public abstract class IngestTests : IAsyncLifetime
{
    private TestServer _server = null!;

    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    public async Task InitializeAsync() => _server = await StartServerAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string[] Statuses(JsonDocument body) =>
        [.. body.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];

    private long StoredCount(string eventId) =>
        _server.Sql.Scalar($"SELECT COUNT(*) FROM events WHERE event_id = '{eventId}';");

    [SkippableFact]
    public async Task PostEvents_returns_per_event_errors_when_some_events_are_invalid()
    {
        var good = Events.Canonical(Events.NewId());
        var bad = Events.Canonical(Events.NewId());
        bad["timestamp"] = "2025-09-29T22:02:51";
        bad["game"] = "another-game";

        using var body = await _server.IngestAsync(Events.Array(good, bad));

        var root = body.RootElement;
        Assert.Equal(1, root.GetProperty("accepted").GetInt32());
        Assert.Equal(0, root.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, root.GetProperty("rejected").GetInt32());
        var results = root.GetProperty("results");
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        Assert.Equal(0, results[0].GetProperty("index").GetInt32());
        Assert.Equal(good["eventId"]!.GetValue<string>(), results[0].GetProperty("eventId").GetString());
        Assert.False(results[0].TryGetProperty("errors", out _));
        Assert.Equal("rejected", results[1].GetProperty("status").GetString());
        Assert.Equal(1, results[1].GetProperty("index").GetInt32());
        var errors = results[1].GetProperty("errors").EnumerateArray()
            .Select(e => $"{e.GetProperty("path").GetString()}:{e.GetProperty("code").GetString()}").Order(StringComparer.Ordinal);
        Assert.Equal(["game:game_mismatch", "timestamp:format"], errors);
        Assert.All(results[1].GetProperty("errors").EnumerateArray(), e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        Assert.Equal(1, StoredCount(good["eventId"]!.GetValue<string>()));
        Assert.Equal(0, StoredCount(bad["eventId"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task PostEvents_reports_what_normalization_changed()
    {
        var id = Events.NewId();
        var legacy = $$"""
            {"_id":{"$oid":"{{id}}"},"player_id":"test@example.com","timestamp":"2025-09-29T22:02:51.04Z","event_type":"playerPositionEvent",
             "event_data":"{\"playerPosition\":{\"x\":-19.5,\"y\":105.3,\"z\":-65.7},\"remote_addr\":\"192.0.2.1\"}",
             "device_info":[{"Key":"platform","Value":"WindowsEditor"}]}
            """;

        using var body = await _server.IngestAsync(legacy);

        var result = body.RootElement.GetProperty("results")[0];
        Assert.Equal("accepted", result.GetProperty("status").GetString());
        Assert.Equal(id, result.GetProperty("eventId").GetString());
        var notes = result.GetProperty("normalized").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains("renamed 'player_id' to 'playerId'", notes);
        Assert.Contains("data: decoded a JSON string into an object", notes);
        Assert.Contains("device: converted a Key/Value array into an object", notes);
        Assert.Contains("data.remote_addr: dropped (personal data)", notes);
        var data = _server.Sql.Column($"SELECT data FROM events WHERE event_id = '{id}';");
        var stored = JsonNode.Parse(Assert.Single(data))!;
        Assert.Equal(-19.5, stored["playerPosition"]!["x"]!.GetValue<double>());
        Assert.Null(stored["remote_addr"]);
    }

    [SkippableFact]
    public async Task PostEvents_reports_an_event_sent_again_in_a_later_batch_as_duplicate()
    {
        var e = Events.Canonical(Events.NewId());
        using var first = await _server.IngestAsync(Events.Array(e));

        using var second = await _server.IngestAsync(Events.Array(e, Events.Canonical(Events.NewId())));

        Assert.Equal(["accepted"], Statuses(first));
        Assert.Equal(["duplicate", "accepted"], Statuses(second));
        Assert.Equal(1, second.RootElement.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, StoredCount(e["eventId"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task PostEvents_reports_a_repeat_within_one_batch_as_duplicate()
    {
        var e = Events.Canonical(Events.NewId());

        using var body = await _server.IngestAsync(Events.Array(e, e, e));

        Assert.Equal(["accepted", "duplicate", "duplicate"], Statuses(body));
        Assert.Equal(1, StoredCount(e["eventId"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task Same_event_id_from_another_source_is_another_event()
    {
        var id = Events.NewId();
        var a = Events.Canonical(id);
        a["source"] = "unity";
        var b = Events.Canonical(id);
        b["source"] = "web";

        using var body = await _server.IngestAsync(Events.Array(a, b));

        Assert.Equal(["accepted", "accepted"], Statuses(body));
        Assert.Equal(2, StoredCount(id));
    }

    [SkippableTheory]
    [InlineData("object")]
    [InlineData("array")]
    [InlineData("wrapped")]
    public async Task PostEvents_accepts_each_body_shape(string shape)
    {
        var e = Events.Canonical(Events.NewId());
        var json = shape switch
        {
            "object" => e.ToJsonString(),
            "array" => Events.Array(e),
            _ => new JsonObject { ["events"] = new JsonArray(e) }.ToJsonString(),
        };

        using var body = await _server.IngestAsync(json);

        Assert.Equal(["accepted"], Statuses(body));
        Assert.Equal(1, StoredCount(e["eventId"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task PostEvents_with_an_empty_array_accepts_nothing()
    {
        using var body = await _server.IngestAsync("[]");

        Assert.Empty(Statuses(body));
        Assert.Equal(0, body.RootElement.GetProperty("accepted").GetInt32());
    }

    [SkippableFact]
    public async Task PostEvents_rejects_array_items_that_are_not_objects_one_by_one()
    {
        var e = Events.Canonical(Events.NewId());

        using var body = await _server.IngestAsync($"[42, {e.ToJsonString()}, \"x\", null]");

        Assert.Equal(["rejected", "accepted", "rejected", "rejected"], Statuses(body));
    }

    [SkippableFact]
    public async Task PostEvents_accepts_a_gzip_body()
    {
        var events = Enumerable.Range(0, 20).Select(_ => Events.Canonical(Events.NewId())).ToArray();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Events.Array(events)));
        }
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await _server.PostEventsAsync(content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        Assert.Equal(events.Length, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.All(events, e => Assert.Equal(1, StoredCount(e["eventId"]!.GetValue<string>())));
    }

    [SkippableFact]
    public async Task PostEvents_answers_400_for_a_body_that_is_not_gzip_though_it_says_so()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Events.Array(Events.Canonical(Events.NewId()))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await _server.PostEventsAsync(content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task PostEvents_accepts_a_json_suffix_media_type_with_charset()
    {
        var content = new StringContent(Events.Canonical(Events.NewId()).ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.cairn+json; charset=utf-8");

        using var response = await _server.PostEventsAsync(content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableFact]
    public async Task Quoted_numbers_are_coerced_over_http_where_the_catalog_declares_the_field()
    {
        await using var server = await StartServerAsync(catalogs: new Dictionary<string, string>
        {
            ["game.yaml"] = $"game: {TestServer.Game}\neventTypes:\n  quizAnswer:\n    data:\n      score: integer\n",
        });
        var coerced = Events.Canonical(Events.NewId());
        coerced["eventType"] = "quizAnswer";
        coerced["data"] = new JsonObject { ["score"] = "87", ["label"] = "12" };
        var wrong = Events.Canonical(Events.NewId());
        wrong["eventType"] = "quizAnswer";
        wrong["data"] = new JsonObject { ["score"] = "lots" };

        using var body = await server.IngestAsync(Events.Array(coerced, wrong));

        Assert.Equal(["accepted", "rejected"], Statuses(body));
        var stored = JsonNode.Parse(Assert.Single(server.Sql.Column($"SELECT data FROM events WHERE event_id = '{coerced["eventId"]}';")))!;
        Assert.Equal(JsonValueKind.Number, stored["score"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, stored["label"]!.GetValueKind());
        var error = body.RootElement.GetProperty("results")[1].GetProperty("errors")[0];
        Assert.Equal("data.score", error.GetProperty("path").GetString());
    }

    [SkippableFact]
    public async Task Accepted_event_is_stored_with_a_player_key_and_the_key_org()
    {
        var e = Events.Canonical(Events.NewId(), playerId: "Stored.Player@example.com");
        e["organizationId"] = "someone-else";

        using var body = await _server.IngestAsync(e.ToJsonString());

        Assert.Equal(["accepted"], Statuses(body));
        var expectedKey = await _server.PlayerKeyAsync("stored.player@example.com");
        Assert.Equal([$"{TestServer.Org}|{TestServer.Game}|{TestServer.Game}|{expectedKey}"],
            _server.Sql.Column($"SELECT org_id || '|' || game || '|' || source || '|' || player_key FROM events WHERE event_id = '{e["eventId"]}';"));
    }
}
