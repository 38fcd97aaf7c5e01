using System.Net;
using System.Text.Json;
using Cairn.Tests.Access;
using Cairn.Tests.Support;

namespace Cairn.Tests.PlaySessions;

/// <summary>
/// The sessions reads over HTTP in the two-org world of the authorization tests: the summary counts the scope asked for,
/// a player's sessions are read only inside the caller's scope, bad input is a 400 that says what is wrong.
/// </summary>
public sealed class SessionsScopeTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private async Task<JsonElement> GetAsync(string path, string token)
    {
        using var response = await world.Server.SendAsync(HttpMethod.Get, path, token, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private int CountOf(params string[] groups) => groups.SelectMany(g => AccessWorld.Groups[g].Members).Select(m => m.Id).Distinct().Count();

    /// <summary>The world's events queue session jobs the workers run in the background: wait until the org's players all have one.</summary>
    private async Task<JsonElement> SummaryWhenDoneAsync(string path, string token, int players)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var summary = await GetAsync(path, token);
            if (summary.GetProperty("players").GetInt32() >= players || DateTime.UtcNow > deadline)
            {
                return summary;
            }
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Issue_15_the_sessions_summary_counts_the_org_or_the_group_asked_for()
    {
        var path = $"/v1/games/{AccessWorld.Game}/sessions/summary";

        var org = await SummaryWhenDoneAsync(path + $"?org={AccessWorld.OrgA}", world.Tokens["admin"], CountOf("g1", "g2"));
        var group = await GetAsync(path + "?scope=group:g1", world.Tokens["teacher-t1"]);
        var otherOrg = await SummaryWhenDoneAsync(path, world.Tokens["org-admin-B"], CountOf("gb"));

        Assert.Equal(CountOf("g1", "g2"), org.GetProperty("players").GetInt32());
        Assert.Equal(CountOf("g1"), group.GetProperty("players").GetInt32());
        Assert.Equal(CountOf("gb"), otherOrg.GetProperty("players").GetInt32());
        Assert.True(org.GetProperty("count").GetInt32() >= org.GetProperty("players").GetInt32());
        var byPlatform = org.GetProperty("byPlatform").EnumerateObject().Sum(p => p.Value.GetProperty("sessions").GetInt32());
        Assert.Equal(org.GetProperty("count").GetInt32(), byPlatform);
        Assert.True(org.GetProperty("p90Seconds").GetDouble() >= org.GetProperty("medianSeconds").GetDouble());
    }

    [Fact]
    public async Task Issue_15_a_players_sessions_are_read_inside_the_callers_scope_only()
    {
        var student = world.Keys[AccessWorld.Student];
        await SummaryWhenDoneAsync($"/v1/games/{AccessWorld.Game}/sessions/summary?org={AccessWorld.OrgA}", world.Tokens["admin"], CountOf("g1", "g2"));

        var own = await GetAsync($"/v1/players/{student}/sessions?game={AccessWorld.Game}", world.Tokens["student"]);
        using var otherOrg = await world.Server.SendAsync(HttpMethod.Get, $"/v1/players/{student}/sessions?game={AccessWorld.Game}", world.Tokens["org-admin-B"], null);

        Assert.True(own.GetProperty("count").GetInt32() >= 1);
        var first = own.GetProperty("sessions")[0];
        Assert.True(first.GetProperty("events").GetInt32() >= 1);
        Assert.Contains(first.GetProperty("endedBy").GetString(), new[] { "explicit", "crash", "gap", "max", "open" });
        Assert.Equal(HttpStatusCode.NotFound, otherOrg.StatusCode);
    }

    [Theory]
    [InlineData("/v1/games/G/sessions/summary?org=org-test&from=yesterday", 400, "'from' must be an ISO 8601 time")]
    [InlineData("/v1/games/G/sessions/summary?org=org-test&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", 400, "'from' must be before 'to'")]
    [InlineData("/v1/games/G/sessions/summary?org=org-test&from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", 400, "at most 366 days")]
    [InlineData("/v1/games/G/sessions/summary?org=org-test&scope=class", 400, "'scope' must be org or group:")]
    [InlineData("/v1/games/G/sessions/summary?org=org-test&scope=group:zz", 404, "No such group")]
    [InlineData("/v1/games/nope/sessions/summary?org=org-test", 404, "No such game")]
    [InlineData("/v1/players/nokey/sessions?game=G", 400, "That is not a playerKey")]
    public async Task Issue_15_bad_sessions_input_is_a_problem_with_a_specific_message(string path, int status, string detail)
    {
        using var response = await world.Server.SendAsync(HttpMethod.Get, path.Replace("/G/", $"/{AccessWorld.Game}/", StringComparison.Ordinal), TestServer.AdminToken, null);
        using var body = await TestServer.ReadJsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(detail, body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
