using System.Text.Json.Nodes;
using Cairn.Ingest;

namespace Cairn.Tests.Ingest;

public sealed class EventValidatorTests
{
    private static readonly IngestScope Scope = new("org-1", "mhs");

    private static JsonObject Valid() => new()
    {
        ["eventId"] = "e-1",
        ["eventType"] = "levelComplete",
        ["timestamp"] = "2025-09-29T22:02:51.04Z",
        ["game"] = "mhs",
        ["playerId"] = "alice@example.com",
        ["data"] = new JsonObject { ["level"] = 3 },
        ["device"] = new JsonObject { ["platform"] = "web" },
    };

    private static List<EventError> Errors(JsonObject e)
    {
        var errors = new List<EventError>();
        var result = EventValidator.Validate(e, Scope, errors);
        Assert.Equal(errors.Count == 0, result is not null);
        return errors;
    }

    private static JsonObject With(string field, JsonNode? value)
    {
        var e = Valid();
        e[field] = value;
        return e;
    }

    private static JsonObject Without(string field)
    {
        var e = Valid();
        e.Remove(field);
        return e;
    }

    [Fact]
    public void Valid_event_passes_and_keeps_its_fields()
    {
        var errors = new List<EventError>();

        var result = EventValidator.Validate(Valid(), Scope, errors);

        Assert.Empty(errors);
        Assert.NotNull(result);
        Assert.Equal("e-1", result.EventId);
        Assert.Equal("mhs", result.Source);
        Assert.Equal("standard", result.PrivacyLevel);
        Assert.Equal(new DateTimeOffset(2025, 9, 29, 22, 2, 51, 40, TimeSpan.Zero), result.Timestamp);
        Assert.Equal("alice@example.com", result.RawPlayerId);
    }

    [Theory]
    [InlineData("eventId")]
    [InlineData("eventType")]
    [InlineData("timestamp")]
    [InlineData("game")]
    public void Missing_required_field_is_rejected(string field)
    {
        var errors = Errors(Without(field));

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Path);
        Assert.Equal("required", error.Code);
    }

    [Theory]
    [InlineData("eventId")]
    [InlineData("eventType")]
    public void Empty_required_field_is_rejected(string field)
    {
        var error = Assert.Single(Errors(With(field, "")));

        Assert.Equal("required", error.Code);
    }

    [Theory]
    [InlineData("2025-09-29T22:02:51")]
    [InlineData("2025-09-29T22:02:51.123")]
    [InlineData("2025-09-29")]
    [InlineData("2025-09-29T22:02:51+0200")]
    [InlineData("29/09/2025 22:02:51Z")]
    [InlineData("yesterday")]
    [InlineData("2025-13-45T22:02:51Z")]
    public void Timestamp_without_zone_or_not_rfc3339_is_rejected(string timestamp)
    {
        var error = Assert.Single(Errors(With("timestamp", timestamp)));

        Assert.Equal("timestamp", error.Path);
        Assert.Equal("format", error.Code);
    }

    [Theory]
    [InlineData("2025-09-29T22:02:51Z")]
    [InlineData("2025-09-29T22:02:51.123456789Z")]
    [InlineData("2025-09-30T00:02:51+02:00")]
    [InlineData("2025-09-29 22:02:51z")]
    public void Timestamp_in_rfc3339_with_a_zone_is_accepted(string timestamp)
    {
        Assert.Empty(Errors(With("timestamp", timestamp)));
    }

    [Theory]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("2999-01-01T00:00:00Z")]
    public void Timestamp_out_of_range_is_rejected(string timestamp)
    {
        var error = Assert.Single(Errors(With("timestamp", timestamp)));

        Assert.Equal("out_of_range", error.Code);
    }

    [Theory]
    [InlineData("eventId", "42")]
    [InlineData("playerId", "42")]
    [InlineData("timestamp", "1759183371")]
    [InlineData("game", "true")]
    [InlineData("data", "\"x\"")]
    [InlineData("data", "[1]")]
    [InlineData("context", "3")]
    [InlineData("device", "\"web\"")]
    public void Field_of_the_wrong_type_is_rejected(string field, string json)
    {
        var error = Assert.Single(Errors(With(field, JsonNode.Parse(json))));

        Assert.Equal(field, error.Path);
        Assert.Equal("type", error.Code);
    }

    [Theory]
    [InlineData("eventId", EventValidator.MaxIdLength)]
    [InlineData("eventType", EventValidator.MaxNameLength)]
    [InlineData("playerId", EventValidator.MaxPlayerIdLength)]
    [InlineData("sessionId", EventValidator.MaxIdLength)]
    public void Field_over_its_length_limit_is_too_long(string field, int limit)
    {
        Assert.Empty(Errors(With(field, new string('a', limit))));

        var error = Assert.Single(Errors(With(field, new string('a', limit + 1))));

        Assert.Equal(field, error.Path);
        Assert.Equal("too_long", error.Code);
    }

    [Theory]
    [InlineData("eventKey")]
    [InlineData("level")]
    [InlineData("player_key")]
    public void Unknown_top_level_field_is_rejected(string field)
    {
        var error = Assert.Single(Errors(With(field, "x")));

        Assert.Equal(field, error.Path);
        Assert.Equal("unknown_field", error.Code);
    }

    [Fact]
    public void Event_for_another_game_than_the_key_is_a_game_mismatch()
    {
        var error = Assert.Single(Errors(With("game", "other-game")));

        Assert.Equal("game", error.Path);
        Assert.Equal("game_mismatch", error.Code);
    }

    [Theory]
    [InlineData("standard", true)]
    [InlineData("sensitive", true)]
    [InlineData("pii", true)]
    [InlineData("system", true)]
    [InlineData("public", false)]
    [InlineData("Standard", false)]
    public void Privacy_level_must_be_a_known_level(string level, bool valid)
    {
        var errors = Errors(With("privacyLevel", level));

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal("invalid_value", Assert.Single(errors).Code);
        }
    }

    [Theory]
    [InlineData("""{"platform":{"os":"linux"}}""")]
    [InlineData("""{"platform":["a"]}""")]
    [InlineData("""{"platform":3}""")]
    [InlineData("""{"platform":true}""")]
    public void Device_must_be_a_flat_map_of_strings(string device)
    {
        var error = Assert.Single(Errors(With("device", JsonNode.Parse(device))));

        Assert.Equal("device.platform", error.Path);
        Assert.Equal("type", error.Code);
    }

    [Fact]
    public void Device_value_over_the_limit_is_too_long()
    {
        var error = Assert.Single(Errors(With("device", new JsonObject { ["ua"] = new string('x', EventValidator.MaxDeviceValueLength + 1) })));

        Assert.Equal("device.ua", error.Path);
        Assert.Equal("too_long", error.Code);
    }

    [Fact]
    public void Blank_player_id_is_rejected()
    {
        var error = Assert.Single(Errors(With("playerId", "   ")));

        Assert.Equal("playerId", error.Path);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Without("eventId");
        e["timestamp"] = "2025-09-29T22:02:51";
        e["game"] = "other";
        e["extra"] = 1;

        var errors = Errors(e);

        Assert.Equal(["eventId:required", "extra:unknown_field", "game:game_mismatch", "timestamp:format"],
            errors.Select(x => $"{x.Path}:{x.Code}").Order(StringComparer.Ordinal));
    }
}
