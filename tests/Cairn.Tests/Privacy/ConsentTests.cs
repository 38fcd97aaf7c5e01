using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Privacy;

public sealed class ConsentTests : IAsyncLifetime
{
    private const string GroupId = "class-c";

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        var group = JsonSerializer.Serialize(new { id = GroupId, org = TestServer.Org, name = "Class C", game = TestServer.Game, teachers = new[] { "t-1" } });
        using var created = await _server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, group);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpStatusCode> SetConsentAsync(object body)
    {
        using var response = await _server.SendAsync(HttpMethod.Put, "/v1/players/consent", TestServer.AdminToken, JsonSerializer.Serialize(body));
        return response.StatusCode;
    }

    private async Task ReplaceRosterAsync(params object[] members)
    {
        using var response = await _server.SendAsync(HttpMethod.Put, $"/v1/groups/{GroupId}/members", TestServer.AdminToken, JsonSerializer.Serialize(members));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A valid event and an invalid one (bad timestamp) of the player; the answer's body.</summary>
    private async Task<JsonElement> SendTwoAsync(string playerId)
    {
        var valid = Events.Canonical(Events.NewId(), playerId);
        var invalid = Events.Canonical(Events.NewId(), playerId);
        invalid["timestamp"] = "yesterday";
        using var body = await _server.IngestAsync(Events.Array(valid, invalid));
        return body.RootElement.Clone();
    }

    private long StoredRowsOf(string playerKey, string table) =>
        Database.Scalar(_server.DatabasePath, $"SELECT COUNT(*) FROM {table} WHERE player_key = '{playerKey}';");

    /// <summary>The answer with the event ids taken out: what would tell one player's answer from another's.</summary>
    private static string Shape(JsonElement answer) =>
        System.Text.RegularExpressions.Regex.Replace(answer.GetRawText(), "\"eventId\":\"[^\"]*\"", "\"eventId\":\"…\"");

    private async Task<long> OptedOutFigureAsync()
    {
        using var response = await _server.GetAsAdminAsync("/v1/admin/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        return body.RootElement.GetProperty("optedOutEventsByOrg").TryGetProperty(TestServer.Org, out var n) ? n.GetInt64() : 0;
    }

    [Fact]
    public async Task Issue_7_an_opted_out_players_event_is_answered_exactly_like_an_accepted_one_and_counted_for_admins_only()
    {
        const string player = "opt.out@school.example";
        Assert.Equal(HttpStatusCode.OK, await SetConsentAsync(new { org = TestServer.Org, playerId = player, consent = "opted-out" }));
        var key = await _server.PlayerKeyAsync(player);
        var figureBefore = await OptedOutFigureAsync();

        var dropped = await SendTwoAsync(player);
        var normal = await SendTwoAsync("not.opted.out@school.example");

        Assert.Equal(Shape(normal), Shape(dropped));
        Assert.Equal(1, dropped.GetProperty("accepted").GetInt32());
        Assert.False(dropped.TryGetProperty("dropped", out _));
        Assert.DoesNotContain("opted", dropped.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(figureBefore + 1, await OptedOutFigureAsync());
        using (var ingestAsks = await _server.SendAsync(HttpMethod.Get, "/v1/admin/stats", _server.IngestKey, null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, ingestAsks.StatusCode);
        }
        Assert.Equal(0, StoredRowsOf(key, "events"));
        Assert.Equal(0, StoredRowsOf(key, "rejected_events"));
        Assert.Equal(["opted-out"], Database.Column(_server.DatabasePath, $"SELECT consent FROM players WHERE player_key = '{key}';"));

        Assert.Equal(HttpStatusCode.OK, await SetConsentAsync(new { org = TestServer.Org, playerId = player, consent = "granted" }));
        var accepted = await SendTwoAsync(player);

        Assert.Equal(1, accepted.GetProperty("accepted").GetInt32());
        Assert.Equal(1, StoredRowsOf(key, "events"));
        Assert.Equal(figureBefore + 1, await OptedOutFigureAsync());
    }

    [Fact]
    public async Task Opting_out_through_the_roster_consent_column_drops_the_next_events_at_once()
    {
        const string player = "roster.opt@school.example";
        await ReplaceRosterAsync(new { playerId = player, displayName = "Rosa Out", consent = "opted-out" }, new { playerId = "other@school.example" });
        var key = await _server.PlayerKeyAsync(player);
        var eventsBefore = StoredRowsOf(key, "events");

        var answer = await SendTwoAsync(player);

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(0, eventsBefore);
        Assert.Equal(0, StoredRowsOf(key, "events"));
        Assert.Equal(0, StoredRowsOf(key, "rejected_events"));

        await ReplaceRosterAsync(new { playerId = player, displayName = "Rosa Out", consent = "granted" });
        var again = await SendTwoAsync(player);

        Assert.Equal(1, again.GetProperty("accepted").GetInt32());
        Assert.Equal(1, StoredRowsOf(key, "events"));
    }

    [Fact]
    public async Task A_consent_change_through_the_api_keeps_the_flags_it_leaves_out()
    {
        const string kid = "flags.kid@school.example";
        Assert.Equal(HttpStatusCode.OK, await SetConsentAsync(new { org = TestServer.Org, playerId = kid, consent = "granted", under13 = true, parentalConsent = true }));

        Assert.Equal(HttpStatusCode.OK, await SetConsentAsync(new { org = TestServer.Org, playerId = kid, consent = "opted-out" }));

        var key = await _server.PlayerKeyAsync(kid);
        Assert.Equal(["opted-out|1|1"], Database.Column(_server.DatabasePath,
            $"SELECT consent || '|' || under13 || '|' || parental_consent FROM players WHERE player_key = '{key}';"));
    }

    [Fact]
    public async Task A_child_under_13_without_parental_consent_keeps_no_display_name()
    {
        await ReplaceRosterAsync(
            new { playerId = "kid.roster@school.example", displayName = "Kid Roster", under13 = true, parentalConsent = false },
            new { playerId = "kid.parent@school.example", displayName = "Kid Parent", under13 = true, parentalConsent = true },
            new { playerId = "kid.api@school.example", displayName = "Kid Api" });
        Assert.Equal(HttpStatusCode.OK, await SetConsentAsync(new { org = TestServer.Org, playerId = "kid.api@school.example", consent = "granted", under13 = true }));

        // A later roster without the flags must not bring the name back.
        await ReplaceRosterAsync(
            new { playerId = "kid.roster@school.example", displayName = "Kid Roster" },
            new { playerId = "kid.parent@school.example", displayName = "Kid Parent" },
            new { playerId = "kid.api@school.example", displayName = "Kid Api" });

        string Name(string raw) => string.Join("", Database.Column(_server.DatabasePath, $"SELECT COALESCE(display_name, '<none>') FROM players WHERE raw_id = '{raw}';"));
        Assert.Equal("<none>", Name("kid.roster@school.example"));
        Assert.Equal("Kid Parent", Name("kid.parent@school.example"));
        Assert.Equal("<none>", Name("kid.api@school.example"));
        var everything = string.Join('\n', Database.AllCells(_server.DatabasePath).Select(c => c.Text));
        Assert.DoesNotContain("Kid Roster", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Kid Api", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_parental_consent_given_later_a_childs_name_may_be_kept_again()
    {
        await ReplaceRosterAsync(new { playerId = "kid.later@school.example", displayName = "Kid Later", under13 = true });

        await ReplaceRosterAsync(new { playerId = "kid.later@school.example", displayName = "Kid Later", under13 = true, parentalConsent = true });

        Assert.Equal(["Kid Later"], Database.Column(_server.DatabasePath, "SELECT display_name FROM players WHERE raw_id = 'kid.later@school.example';"));
    }
}
