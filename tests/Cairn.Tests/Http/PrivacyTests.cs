using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>Where a raw player id may end up, and the rejected-event list; a subclass per store says how to start the server.</summary>
public abstract class PrivacyTests : IAsyncLifetime
{
    private protected const string RawPlayer = "Raw.Player-7731@school.example";

    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    private protected TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await StartServerAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>One accepted and three rejected events (canonical, legacy and LMS shapes) of <see cref="RawPlayer"/>.</summary>
    private protected async Task IngestMixAsync()
    {
        var accepted = Events.Canonical(Events.NewId(), RawPlayer);
        var rejected = Events.Canonical(Events.NewId(), RawPlayer);
        rejected["timestamp"] = "2025-09-29 22:02:51";
        var legacyRejected = new JsonObject { ["_id"] = Events.NewId(), ["player_id"] = "  " + RawPlayer.ToUpperInvariant(), ["event_type"] = "x" };
        var lmsRejected = new JsonObject { ["event_id"] = Events.NewId(), ["user_id"] = RawPlayer, ["event_type"] = "x", ["timestamp"] = "nope" };
        using var body = await Server.IngestAsync(Events.Array(accepted, rejected, legacyRejected, lmsRejected));
        Assert.Equal(1, body.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(3, body.RootElement.GetProperty("rejected").GetInt32());
    }

    [SkippableFact]
    public async Task Rejected_events_are_listed_with_reasons_and_a_player_key_instead_of_the_raw_id()
    {
        await IngestMixAsync();
        var playerKey = await Server.PlayerKeyAsync(RawPlayer);

        using var response = await Server.GetAsAdminAsync($"/v1/admin/rejected?org={TestServer.Org}");

        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(RawPlayer, text, StringComparison.OrdinalIgnoreCase);
        using var body = System.Text.Json.JsonDocument.Parse(text);
        var items = body.RootElement.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, item =>
        {
            Assert.Equal(playerKey, item.GetProperty("playerKey").GetString());
            Assert.Equal(TestServer.Org, item.GetProperty("orgId").GetString());
            Assert.NotEmpty(item.GetProperty("reasons").EnumerateArray());
            var raw = JsonNode.Parse(item.GetProperty("raw").GetString()!)!.AsObject();
            Assert.Equal(playerKey, raw["playerKey"]!.GetValue<string>());
            Assert.DoesNotContain(raw, p => p.Key is "playerId" or "player_id" or "user_id");
        });
        Assert.Contains(items, i => i.GetProperty("reasons").EnumerateArray().Any(r =>
            r.GetProperty("path").GetString() == "timestamp" && r.GetProperty("code").GetString() == "format"));
    }

    [SkippableFact]
    public async Task Rejected_list_pages_with_a_cursor_and_filters_by_org()
    {
        var bad = Enumerable.Range(0, 5).Select(_ => new JsonObject { ["eventId"] = Events.NewId() }).ToArray();
        using (await Server.IngestAsync(Events.Array(bad)))
        {
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            using var page = await Server.GetAsAdminAsync("/v1/admin/rejected?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            page.EnsureSuccessStatusCode();
            using var body = await TestServer.ReadJsonAsync(page);
            seen.AddRange(body.RootElement.GetProperty("rejected").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = body.RootElement.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);
        using var otherOrg = await Server.GetAsAdminAsync("/v1/admin/rejected?org=nobody");
        using var otherBody = await TestServer.ReadJsonAsync(otherOrg);

        Assert.Equal(bad.Length, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(otherBody.RootElement.GetProperty("rejected").EnumerateArray());
    }

    [SkippableFact]
    public async Task Raw_player_id_is_stored_only_in_the_players_directory()
    {
        await IngestMixAsync();
        await Server.StopAsync();

        var cells = Server.Sql.AllCells()
            .Where(c => c.Text.Contains(RawPlayer, StringComparison.OrdinalIgnoreCase))
            .Select(c => $"{c.Table}.{c.Column}")
            .ToList();

        Assert.Equal(["players.raw_id"], cells);
    }

    [SkippableFact]
    public async Task Issue_7_quarantine_redacts_identities_of_any_spelling_and_erasure_finds_every_row()
    {
        var key = await Server.PlayerKeyAsync(RawPlayer);
        JsonObject Bad(string field, JsonNode value) => new() { ["eventId"] = Events.NewId(), ["eventType"] = "x", ["timestamp"] = "soon", [field] = value };
        var spelled = new[]
        {
            Bad("playerID", RawPlayer), Bad("PlayerId", RawPlayer.ToUpperInvariant()), Bad("player-id", RawPlayer), Bad("user.id", RawPlayer),
            Bad("user", new JsonObject { ["id"] = RawPlayer, ["level"] = 3 }), Bad("email", RawPlayer),
        };
        var personal = Bad("studentName", "Wilhelmina Quorn");
        personal["data"] = new JsonObject
        {
            ["note"] = $"write to {RawPlayer} from 203.0.113.9",
            ["first_name"] = "Wilhelmina",
            ["clientIP"] = "2001:db8::77",
            ["peers"] = new JsonArray("wil@school.example", "10.1.2.3"),
        };
        var asString = JsonValue.Create(Events.Canonical(Events.NewId(), RawPlayer).ToJsonString());
        var body = new JsonArray([.. spelled.Select(e => (JsonNode)e), personal, asString]).ToJsonString();

        using var response = await Server.IngestAsync(body);

        var results = response.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results, r => Assert.Equal("rejected", r.GetProperty("status").GetString()));
        Assert.Equal("an event must be a JSON object (got a string)", results[^1].GetProperty("errors")[0].GetProperty("message").GetString());
        // No needle is spelled with hex digits only: hashes and keys in the rows must not match one by chance.
        var needles = new[] { RawPlayer, "Wilhelmina", "Quorn", "wil@school", "203.0.113.9", "2001:db8::77", "10.1.2.3" };
        var leaks = Server.Sql.AllCells().Where(c => c.Table == "rejected_events" && needles.Any(n => c.Text.Contains(n, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.Empty(leaks);
        Assert.Equal(spelled.Length, Server.Sql.Scalar($"SELECT COUNT(*) FROM rejected_events WHERE player_key = '{key}';"));
        var withheld = JsonNode.Parse(Assert.Single(Server.Sql.Column("SELECT raw FROM rejected_events WHERE raw LIKE '%withheld%';")))!;
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(asString.ToJsonString()), withheld["bytes"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{32}$", withheld["hmac"]!.GetValue<string>());

        using var erase = await Server.SendAsync(HttpMethod.Delete, $"/v1/players/{Uri.EscapeDataString(RawPlayer)}?org={TestServer.Org}", TestServer.AdminToken, null);

        Assert.True(erase.IsSuccessStatusCode, await erase.Content.ReadAsStringAsync());
        Assert.Equal(0, Server.Sql.Scalar($"SELECT COUNT(*) FROM rejected_events WHERE player_key = '{key}';"));
        Assert.Equal(2, Server.Sql.Scalar("SELECT COUNT(*) FROM rejected_events;"));
    }
}
