using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Ingest.WebSockets;
using Cairn.Tests.Support;

namespace Cairn.Tests.Consent;

/// <summary>Consent per event category (issue #14, seed 001) over HTTP and the WebSocket; a subclass per store.</summary>
public abstract class ConsentCategoryTests
{
    private protected abstract Task<TestServer> StartServerAsync();

    private static JsonObject Event(string player, string eventType)
    {
        var e = Events.Canonical(Events.NewId(), player);
        e["eventType"] = eventType;
        return e;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(TestServer server, HttpMethod method, string path, object body)
    {
        using var response = await server.SendAsync(method, path, TestServer.AdminToken, JsonSerializer.Serialize(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> SetConsentAsync(TestServer server, string player, object categories) =>
        SendAsync(server, HttpMethod.Put, "/v1/players/consent", new { org = TestServer.Org, playerId = player, categories });

    private static async Task<JsonElement> IngestAsync(TestServer server, params JsonObject[] events)
    {
        using var body = await server.IngestAsync(Events.Array(events));
        return body.RootElement.Clone();
    }

    private static List<string> StoredTypes(TestServer server, string playerKey) =>
        server.Sql.Column($"SELECT event_type FROM events WHERE player_key = '{playerKey}' ORDER BY event_type;");

    private static string Shape(JsonElement answer) =>
        System.Text.RegularExpressions.Regex.Replace(answer.GetRawText(), "\"eventId\":\"[^\"]*\"", "\"eventId\":\"…\"");

    private static async Task<long> DeclinedFigureAsync(TestServer server)
    {
        using var response = await server.GetAsAdminAsync("/v1/admin/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        return body.RootElement.GetProperty("declinedCategoryEventsByOrg").TryGetProperty(TestServer.Org, out var n) ? n.GetInt64() : 0;
    }

    [SkippableFact]
    public async Task Issue_14_a_declined_category_drops_its_events_answered_like_accepted_ones_and_counted_for_admins()
    {
        await using var server = await StartServerAsync();
        const string player = "cat.declines@school.example";
        var (status, view) = await SetConsentAsync(server, player, new { social = false, performance = false });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(view.GetProperty("categories").GetProperty("social").GetBoolean());
        Assert.False(view.GetProperty("categories").GetProperty("performance").GetBoolean());
        var key = await server.PlayerKeyAsync(player);

        var declined = await IngestAsync(server, Event(player, "party_join"), Event(player, "game_stage_start"), Event(player, "page_load_time"));
        var other = await IngestAsync(server, Event("cat.other@school.example", "party_join"), Event("cat.other@school.example", "game_stage_start"),
            Event("cat.other@school.example", "page_load_time"));

        // The ingest key learns nothing: the answer is the one any player's events get.
        Assert.Equal(Shape(other), Shape(declined));
        Assert.Equal(3, declined.GetProperty("accepted").GetInt32());
        Assert.Equal(["game_stage_start"], StoredTypes(server, key));
        Assert.Equal(2, await DeclinedFigureAsync(server));
        using (var metrics = await server.GetAsAdminAsync("/metrics"))
        {
            Assert.Contains("reason=\"consent_category\"", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Granting one back (the other is kept as recorded) stores that category's events again.
        (status, view) = await SetConsentAsync(server, player, new { social = true });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(view.GetProperty("categories").GetProperty("social").GetBoolean());
        Assert.False(view.GetProperty("categories").GetProperty("performance").GetBoolean());
        await IngestAsync(server, Event(player, "party_join"), Event(player, "page_load_time"));

        Assert.Equal(["game_stage_start", "party_join"], StoredTypes(server, key));
        Assert.Equal(3, await DeclinedFigureAsync(server));
    }

    [SkippableFact]
    public async Task Issue_14_an_unknown_category_is_a_400_naming_it_in_the_consent_api_and_the_roster()
    {
        await using var server = await StartServerAsync();
        var (status, body) = await SetConsentAsync(server, "cat.typo@school.example", new { socail = false });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("unknown category 'socail'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, _) = await SendAsync(server, HttpMethod.Post, "/v1/groups", new { id = "class-k", org = TestServer.Org, name = "K", game = TestServer.Game, teachers = new[] { "t-1" } });
        Assert.Equal(HttpStatusCode.Created, status);
        (status, body) = await SendAsync(server, HttpMethod.Put, "/v1/groups/class-k/members",
            new object[] { new { playerId = "a@school.example" }, new { playerId = "b@school.example", categories = new { combat = false, gossip = false } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Member 1: 'categories': unknown category 'gossip'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Sql.Scalar("SELECT COUNT(*) FROM consent_categories;"));
    }

    [SkippableFact]
    public async Task Issue_14_a_roster_sets_categories_they_are_loaded_again_at_start_and_erasure_removes_them()
    {
        await using var server = await StartServerAsync();
        const string player = "cat.roster@school.example";
        var (status, _) = await SendAsync(server, HttpMethod.Post, "/v1/groups", new { id = "class-r", org = TestServer.Org, name = "R", game = TestServer.Game, teachers = new[] { "t-1" } });
        Assert.Equal(HttpStatusCode.Created, status);
        (status, var body) = await SendAsync(server, HttpMethod.Put, "/v1/groups/class-r/members",
            new object[] { new { playerId = player, displayName = "Rae", categories = new { combat = false } } });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var key = await server.PlayerKeyAsync(player);

        await IngestAsync(server, Event(player, "ability_cast"), Event(player, "xp_gain"));
        Assert.Equal(["xp_gain"], StoredTypes(server, key));

        // A new process knows the choice before it takes events (loaded at start, not read per event).
        await server.RestartAsync();
        await IngestAsync(server, Event(player, "damage_dealt"), Event(player, "loot_drop"));
        Assert.Equal(["loot_drop", "xp_gain"], StoredTypes(server, key));
        Assert.Equal(1, server.Sql.Scalar($"SELECT COUNT(*) FROM consent_categories WHERE player_key = '{key}';"));

        (status, body) = await SendAsync(server, HttpMethod.Post, "/v1/players/erase", new { org = TestServer.Org, playerId = player });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("removed").GetProperty("consent_categories").GetInt64());
        Assert.Equal(0, server.Sql.Scalar($"SELECT COUNT(*) FROM consent_categories WHERE player_key = '{key}';"));
        // Erased, the player starts over with nothing declined.
        await IngestAsync(server, Event(player, "ability_cast"));
        Assert.Equal(["ability_cast"], StoredTypes(server, key));
    }

    [SkippableFact]
    public async Task Issue_14_over_the_websocket_a_declined_categorys_events_are_acknowledged_and_not_stored()
    {
        await using var server = await StartServerAsync();
        const string player = "cat.ws@school.example";
        Assert.Equal(HttpStatusCode.OK, (await SetConsentAsync(server, player, new { heartbeat = false })).Status);
        var key = await server.PlayerKeyAsync(player);
        await using var socket = await AnalyticsSocket.ConnectAsync(server.Http.BaseAddress!, server.IngestKey);
        await socket.ExpectAsync("ready");
        JsonObject Game(string type)
        {
            var e = Event(player, type);
            e.Remove("eventId");
            return e;
        }

        await socket.SendAsync(new { type = "analytics", seq = 1, clientGuid = "cat-client", events = new[] { Game("client_tick"), Game("session_start") } });
        var ack = await socket.ExpectAsync("ack");

        Assert.Equal(2, ack.GetProperty("accepted").GetInt32());
        Assert.Equal(["session_start"], StoredTypes(server, key));
    }
}

public sealed class SqliteConsentCategoryTests : ConsentCategoryTests
{
    private protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync();
}

public sealed class PostgresConsentCategoryTests(PostgresServer postgres) : ConsentCategoryTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(postgres);
}

/// <summary>During a pepper rotation (before the rekey) a declined category holds under the player's new key too.</summary>
public sealed class ConsentCategoryRotationTests
{
    [Fact]
    public async Task Issue_14_a_declined_category_holds_after_a_pepper_rotation_before_the_rekey()
    {
        await using var server = await TestServer.StartAsync();
        const string player = "cat.rotate@school.example";
        using (var set = await server.SendAsync(HttpMethod.Put, "/v1/players/consent", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, playerId = player, categories = new { social = false } })))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        // The directory knows the player (the raw id is what the new key is computed from).
        (await server.IngestAsync(Events.Array(Events.Canonical(Events.NewId(), player)))).Dispose();

        await server.RestartAsync(new Dictionary<string, string?>
        {
            ["Identity:Pepper"] = "a-new-pepper-of-enough-length-for-the-rotation-0123456789",
            ["Identity:PepperVersion"] = "2",
            ["Identity:PreviousPeppers:0:Version"] = "1",
            ["Identity:PreviousPeppers:0:Pepper"] = TestServer.Pepper,
        });
        var social = Events.Canonical(Events.NewId(), player);
        social["eventType"] = "party_join";
        var gameplay = Events.Canonical(Events.NewId(), player);
        gameplay["eventType"] = "game_stage_start";
        (await server.IngestAsync(Events.Array(social, gameplay))).Dispose();

        Assert.Equal(["game_stage_start", "levelComplete"], server.Sql.Column($"SELECT event_type FROM events WHERE event_id IN ('{social["eventId"]}', '{gameplay["eventId"]}') OR event_type = 'levelComplete' ORDER BY 1;"));
    }
}
