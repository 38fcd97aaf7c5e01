using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Identity;
using Cairn.Import;
using Cairn.Tests.Support;

namespace Cairn.Tests.Import;

public sealed class RowMapperTests
{
    private static readonly string[] Header = ["sid", "n", "name", "when", "payload", "ua"];

    private static ImportMapping Mapping() => new()
    {
        Game = "waves",
        Source = "export",
        JsonColumns = ["payload"],
        Fields = new Dictionary<string, string>
        {
            ["eventId"] = "{name}-{n}",
            ["eventType"] = "name",
            ["timestamp"] = "when",
            ["playerId"] = "sid",
            ["data"] = "payload",
            ["device.userAgent"] = "payload.ua",
            ["context.level"] = "payload.nested.level",
        },
    };

    private static readonly PlayerKeys Keys = new(Encoding.UTF8.GetBytes(TestServer.Pepper), 1);

    private static JsonObject MapRecord(ImportMapping mapping, params string[] record)
    {
        var mapper = new RowMapper(mapping, value => Keys.TemplateHash("org-1", value));
        return mapper.Map(mapper.FromRecord(Header, record));
    }

    /// <summary>What <c>{hmac:col}</c> must give, computed here without Cairn's code.</summary>
    private static string HmacPrefix(string org, string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.Pepper), Encoding.UTF8.GetBytes($"\0template\0{org}\0{text}")))[..32];

    private static string Sha256Prefix(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..20];

    [Fact]
    public void Fields_take_columns_templates_json_columns_and_dotted_paths()
    {
        var e = MapRecord(Mapping(), "s-9", "4", "BEGIN.0", "2025-09-29T22:02:51Z", """{"ua":"Mozilla","nested":{"level":7},"x":1.5}""", "");

        Assert.Equal("BEGIN.0-4", e["eventId"]!.GetValue<string>());
        Assert.Equal("BEGIN.0", e["eventType"]!.GetValue<string>());
        Assert.Equal("s-9", e["playerId"]!.GetValue<string>());
        Assert.Equal(1.5, e["data"]!["x"]!.GetValue<double>());
        Assert.Equal("Mozilla", e["device"]!["userAgent"]!.GetValue<string>());
        Assert.Equal(7, e["context"]!["level"]!.GetValue<int>());
        Assert.Equal("waves", e["game"]!.GetValue<string>());
        Assert.Equal("export", e["source"]!.GetValue<string>());
    }

    [Fact]
    public void Sha256_template_puts_a_hash_of_the_column_in_place_of_its_value()
    {
        var mapping = Mapping();
        mapping.Fields["context.level"] = "{sha256:name}";

        var e = MapRecord(mapping, "23000213512143300", "12", "BEGIN.0", "2025-09-29T22:02:51Z", "{}", "");

        Assert.Equal(Sha256Prefix("BEGIN.0"), e["context"]!["level"]!.GetValue<string>());
    }

    [Fact]
    public void Issue_7_hmac_template_puts_a_keyed_hash_of_the_player_column_that_is_the_same_on_every_run()
    {
        var mapping = Mapping();
        mapping.Fields["eventId"] = "{hmac:sid}-{n}";

        var first = MapRecord(mapping, "23000213512143300", "12", "BEGIN.0", "2025-09-29T22:02:51Z", "{}", "");
        var again = MapRecord(mapping, "23000213512143300", "12", "BEGIN.0", "2025-09-29T22:02:51Z", "{}", "");

        var id = first["eventId"]!.GetValue<string>();
        Assert.Equal(HmacPrefix("org-1", "23000213512143300") + "-12", id);
        Assert.Equal(id, again["eventId"]!.GetValue<string>());
        Assert.DoesNotContain(Sha256Prefix("23000213512143300"), id, StringComparison.Ordinal);
        Assert.NotEqual(Keys.Compute("org-1", "23000213512143300")[3..], id[..32]);
    }

    [Theory]
    [InlineData("{sha256:sid}-{n}", "plain hash")]
    [InlineData("{sid}-{n}", "copies the player identity")]
    [InlineData("sid", "copies the player identity")]
    public void Issue_7_mapping_that_puts_the_player_column_or_its_plain_hash_in_another_field_is_refused(string expression, string reason)
    {
        var mapping = Mapping();
        mapping.Fields["sessionId"] = expression;

        var error = Assert.Throws<ImportException>(() => new RowMapper(mapping, value => value));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("{hmac:sid}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hmac_template_without_a_pepper_is_an_import_error()
    {
        var mapping = Mapping();
        mapping.Fields["eventId"] = "{hmac:sid}-{n}";

        Assert.Throws<ImportException>(() => new RowMapper(mapping));
    }

    [Fact]
    public void Template_with_a_missing_column_leaves_the_field_out()
    {
        var e = MapRecord(Mapping(), "s-9", "", "BEGIN.0", "2025-09-29T22:02:51Z", "{}", "");

        Assert.False(e.ContainsKey("eventId"));
    }

    [Fact]
    public void Constants_are_set_at_their_paths()
    {
        var mapping = Mapping();
        mapping.Constants["privacyLevel"] = "sensitive";
        mapping.Constants["context.importedBy"] = "tests";

        var e = MapRecord(mapping, "s", "1", "T", "2025-09-29T22:02:51Z", "{}", "");

        Assert.Equal("sensitive", e["privacyLevel"]!.GetValue<string>());
        Assert.Equal("tests", e["context"]!["importedBy"]!.GetValue<string>());
    }

    [Fact]
    public void Drop_removes_paths_after_mapping()
    {
        var mapping = Mapping();
        mapping.Drop = ["data.remote_addr", "data.ua", "context"];

        var e = MapRecord(mapping, "s", "1", "T", "2025-09-29T22:02:51Z", """{"remote_addr":"192.0.2.1","ua":"Mozilla","level":2,"nested":{"level":1}}""", "");

        var data = e["data"]!.AsObject();
        Assert.False(data.ContainsKey("remote_addr"));
        Assert.False(data.ContainsKey("ua"));
        Assert.Equal(2, data["level"]!.GetValue<int>());
        Assert.Equal("Mozilla", e["device"]!["userAgent"]!.GetValue<string>());
        Assert.False(e.ContainsKey("context"));
    }

    [Theory]
    [InlineData("UTC", "2023-02-01 16:16:44.589000", "2023-02-01T16:16:44.589Z")]
    [InlineData("+02:00", "2023-02-01 16:16:44.589000", "2023-02-01T14:16:44.589Z")]
    [InlineData("-05:30", "2023-02-01 16:16:44", "2023-02-01T21:46:44Z")]
    [InlineData("Europe/Berlin", "2023-07-01 12:00:00", "2023-07-01T10:00:00Z")]
    [InlineData("Europe/Berlin", "2023-01-01 12:00:00", "2023-01-01T11:00:00Z")]
    [InlineData("+2", "2023-02-01 16:16:44", "2023-02-01T14:16:44Z")]
    [InlineData("+0200", "2023-02-01 16:16:44", "2023-02-01T14:16:44Z")]
    [InlineData("UTC+2", "2023-02-01 16:16:44", "2023-02-01T14:16:44Z")]
    [InlineData("utc-05:30", "2023-02-01 16:16:44", "2023-02-01T21:46:44Z")]
    [InlineData("-0530", "2023-02-01 16:16:44", "2023-02-01T21:46:44Z")]
    [InlineData("-11", "2023-02-01 16:16:44", "2023-02-02T03:16:44Z")]
    public void Issue_7_timestamp_format_and_zone_give_a_utc_rfc3339_time(string zone, string local, string expected)
    {
        var mapping = Mapping();
        mapping.Timestamp = new ImportMapping.TimestampMapping { Format = "yyyy-MM-dd HH:mm:ss.FFFFFF", Zone = zone };

        var e = MapRecord(mapping, "s", "1", "T", local, "{}", "");

        Assert.Equal(expected, e["timestamp"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm:ss 'UTC'z", "2024-03-05 12:30:07 UTC+0")]
    [InlineData("yyyy-MM-dd HH:mm:ss 'UTC'z", "2024-03-05 14:30:07 UTC+2")]
    [InlineData("yyyy-MM-dd HH:mm:ss zzz", "2024-03-05 07:30:07 -05:00")]
    [InlineData("yyyy-MM-dd HH:mm:ssK", "2024-03-05 18:00:07+05:30")]
    [InlineData("yyyy-MM-dd HH:mm:ssK", "2024-03-05 12:30:07Z")]
    public void Issue_7_offset_written_in_the_time_wins_over_the_mapping_zone(string format, string text)
    {
        var mapping = Mapping();
        mapping.Timestamp = new ImportMapping.TimestampMapping { Format = format, Zone = "Asia/Tokyo" };

        var e = MapRecord(mapping, "s", "1", "T", text, "{}", "");

        Assert.Equal("2024-03-05T12:30:07Z", e["timestamp"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("+200")]
    [InlineData("+15")]
    [InlineData("+02:60")]
    [InlineData("2")]
    [InlineData("UTC+")]
    [InlineData("UTC 2")]
    [InlineData("")]
    [InlineData("Mars/Olympus")]
    public void Issue_7_zone_that_is_no_offset_and_no_known_zone_is_an_import_error(string zone)
    {
        var mapping = Mapping();
        mapping.Timestamp = new ImportMapping.TimestampMapping { Format = "yyyy-MM-dd HH:mm:ss", Zone = zone };

        var error = Assert.Throws<ImportException>(() => new RowMapper(mapping));

        Assert.Contains("timestamp.zone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_7_mapping_file_error_names_the_file_line_and_column_of_the_zone()
    {
        using var root = new TempDirectory();
        var path = root.Combine("m.yaml");
        File.WriteAllText(path, "game: g\nfields:\n  eventId: id\ntimestamp:\n  format: \"yyyy-MM-dd HH:mm:ss\"\n  zone:   \"+2h\"\n");

        var error = Assert.Throws<ImportException>(() => ImportMapping.Load(path));

        Assert.StartsWith($"{path}:6:11: unknown time zone '+2h'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamp_not_matching_the_format_is_left_for_validation()
    {
        var mapping = Mapping();
        mapping.Timestamp = new ImportMapping.TimestampMapping { Format = "yyyy-MM-dd HH:mm:ss", Zone = "UTC" };

        var e = MapRecord(mapping, "s", "1", "T", "01/02/2023", "{}", "");

        Assert.Equal("01/02/2023", e["timestamp"]!.GetValue<string>());
    }

    [Fact]
    public void Json_column_that_is_not_json_stays_a_string()
    {
        var e = MapRecord(Mapping(), "s", "1", "T", "2025-09-29T22:02:51Z", "{broken", "");

        Assert.Equal("{broken", e["data"]!.GetValue<string>());
    }

    [Fact]
    public void Without_fields_a_json_row_is_the_event_itself()
    {
        var mapper = new RowMapper(new ImportMapping { Game = "g", JsonColumns = ["data"] });

        var e = mapper.Map(mapper.FromObject(JsonNode.Parse("""{"eventId":"x","data":"{\"a\":1}"}""")!.AsObject()));

        Assert.Equal("x", e["eventId"]!.GetValue<string>());
        Assert.Equal(1, e["data"]!["a"]!.GetValue<int>());
        Assert.Equal("g", e["game"]!.GetValue<string>());
    }
}
