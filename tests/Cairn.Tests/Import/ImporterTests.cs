using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Import;
using Cairn.Tests.Support;

namespace Cairn.Tests.Import;

public sealed class ImporterTests : IAsyncLifetime
{
    private readonly ImporterFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private static string Event(string id, string player = "import.player@example.com", string timestamp = "2025-09-29T22:02:51Z") =>
        new JsonObject
        {
            ["eventId"] = id,
            ["eventType"] = "levelComplete",
            ["timestamp"] = timestamp,
            ["playerId"] = player,
            ["data"] = new JsonObject { ["level"] = 1, ["remote_addr"] = "192.0.2.44" },
        }.ToJsonString();

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = _fixture.Root.Combine(name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private long Count(string sql) => Database.Scalar(_fixture.DatabasePath, sql);

    [Fact]
    public async Task Jsonl_import_stores_valid_lines_and_quarantines_a_malformed_one()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => Events.NewId()).ToList();
        var lines = ids.Select(id => Event(id)).ToList();
        lines.Insert(1, """{"eventId": "broken", "eventType": """);
        lines.Insert(2, "");
        var file = await WriteAsync("events.jsonl", string.Join('\n', lines) + "\n");

        var summary = await _fixture.ImportAsync(file, new ImportMapping { Game = "g" });

        Assert.Equal(ids.Count + 1, summary.Rows);
        Assert.Equal(ids.Count, summary.Accepted);
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(ids.Count, Count("SELECT COUNT(*) FROM events;"));
        var raw = JsonNode.Parse(Assert.Single(Database.Column(_fixture.DatabasePath, "SELECT raw FROM rejected_events;")))!;
        Assert.True(raw["withheld"]!.GetValue<bool>());
        Assert.Equal(0, Count("SELECT COUNT(*) FROM events WHERE data LIKE '%remote_addr%' OR data LIKE '%192.0.2.44%';"));
    }

    [Fact]
    public async Task Issue_7_jsonl_line_that_is_not_json_is_quarantined_as_size_and_hash_with_a_not_json_reason()
    {
        const string raw = "not.json.player@school.example";
        var broken = $$"""{"eventId": "e1", "playerId": "{{raw}}", "eventType": """;
        var asString = JsonSerializer.Serialize(Event(Events.NewId(), raw));
        var duplicate = $$$"""{"eventId": "e2", "playerId": "{{{raw}}}", "eventType": "x", "data": {"a": 1, "a": 2} }""";
        var file = await WriteAsync("hostile.jsonl", string.Join('\n', broken, asString, duplicate, Event(Events.NewId())) + "\n");

        var summary = await _fixture.ImportAsync(file, new ImportMapping { Game = "g" });

        Assert.Equal(1, summary.Accepted);
        Assert.Equal(3, summary.Rejected);
        Assert.Equal(1, summary.RejectedByReason["invalid_json"]);
        Assert.Equal(1, summary.RejectedByReason["type"]);
        Assert.Equal(1, summary.RejectedByReason["data.a: duplicate_key"]);
        var rows = Database.Column(_fixture.DatabasePath, "SELECT raw || ' ' || reasons FROM rejected_events ORDER BY id;");
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.DoesNotContain(raw, r, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("the line is not valid JSON", rows[0], StringComparison.Ordinal);
        Assert.Contains("an event must be a JSON object (got a string)", rows[1], StringComparison.Ordinal);
        Assert.Contains($"\"bytes\":{System.Text.Encoding.UTF8.GetByteCount(broken)}", rows[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_array_import_rejects_items_that_are_not_valid_events()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => Events.NewId()).ToList();
        var items = ids.Select(id => Event(id)).Append("42").Append(Event(Events.NewId(), timestamp: "2025-09-29 22:02:51"));
        var file = await WriteAsync("events.json", "[" + string.Join(",", items) + "]");

        var summary = await _fixture.ImportAsync(file, new ImportMapping { Game = "g", Source = "backfill" });

        Assert.Equal(ids.Count + 2, summary.Rows);
        Assert.Equal(ids.Count, summary.Accepted);
        Assert.Equal(2, summary.Rejected);
        Assert.Equal(1, summary.RejectedByReason["timestamp: format"]);
        Assert.Equal(2, Count("SELECT COUNT(*) FROM rejected_events;"));
        Assert.Equal(["backfill"], Database.Column(_fixture.DatabasePath, "SELECT DISTINCT source FROM events;"));
    }

    [Fact]
    public async Task Json_object_import_reads_an_events_array()
    {
        var file = await WriteAsync("wrapped.json", $$"""{"events":[{{Event(Events.NewId())}},{{Event(Events.NewId())}}]}""");

        var summary = await _fixture.ImportAsync(file, new ImportMapping { Game = "g" });

        Assert.Equal(2, summary.Accepted);
    }

    [Fact]
    public async Task Csv_import_maps_columns_and_is_idempotent()
    {
        const string csv = "id,player,kind,at,payload\r\n" +
            "1,Alice,start,2023-02-01 16:16:44,\"{\"\"level\"\": 1,\n \"\"note\"\": \"\"a, b\"\"}\"\r\n" +
            "2,alice ,finish,2023-02-01 16:20:00,{}\r\n" +
            "3,Bob,start,not a time,{}\r\n";
        var file = await WriteAsync("events.csv", csv);
        var mapping = new ImportMapping
        {
            Game = "g",
            Source = "csv",
            JsonColumns = ["payload"],
            Fields = new Dictionary<string, string> { ["eventId"] = "row-{id}", ["playerId"] = "player", ["eventType"] = "kind", ["timestamp"] = "at", ["data"] = "payload" },
            Timestamp = new ImportMapping.TimestampMapping { Format = "yyyy-MM-dd HH:mm:ss", Zone = "+01:00" },
        };

        var first = await _fixture.ImportAsync(file, mapping);
        var second = await _fixture.ImportAsync(file, mapping);

        Assert.Equal(["timestamp: format"], first.RejectedByReason.Keys);
        Assert.Equal((3, 2, 0, 1), (first.Rows, first.Accepted, first.Duplicates, first.Rejected));
        Assert.Equal((3, 0, 2, 1), (second.Rows, second.Accepted, second.Duplicates, second.Rejected));
        Assert.Equal(2, Count("SELECT COUNT(*) FROM events;"));
        Assert.Equal(1, Count("SELECT COUNT(DISTINCT player_key) FROM events;"));
        var data = JsonNode.Parse(Assert.Single(Database.Column(_fixture.DatabasePath, "SELECT data FROM events WHERE event_id = 'row-1';")))!;
        Assert.Equal("a, b", data["note"]!.GetValue<string>());
        var ts = Database.Scalar(_fixture.DatabasePath, "SELECT ts FROM events WHERE event_id = 'row-1';");
        Assert.Equal(new DateTimeOffset(2023, 2, 1, 15, 16, 44, TimeSpan.Zero), Cairn.Storage.TimeCodec.FromMicros(ts));
    }

    [Fact]
    public async Task Import_of_a_missing_file_or_unknown_format_fails_with_a_reason()
    {
        var txt = await WriteAsync("events.txt", "x");

        await Assert.ThrowsAsync<ImportException>(() => _fixture.ImportAsync(_fixture.Root.Combine("nope.jsonl"), new ImportMapping { Game = "g" }));
        await Assert.ThrowsAsync<ImportException>(() => _fixture.ImportAsync(txt, new ImportMapping { Game = "g" }));
        await Assert.ThrowsAsync<ImportException>(() => _fixture.ImportAsync(txt, new ImportMapping { Format = "jsonl" }));
    }
}
