using System.Net;
using System.Text.Json;
using Cairn.Tests.Access;
using Cairn.Tests.Support;

namespace Cairn.Tests.Activity;

/// <summary>
/// Active players and engagement over HTTP in the two-org world of the authorization tests: counts cover the scope, keys and
/// names only the players the caller's scope covers.
/// </summary>
public sealed class ActivityScopeTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private async Task<JsonElement> GetAsync(string path, string token)
    {
        using var response = await world.Server.SendAsync(HttpMethod.Get, path, token, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string[] Keys(JsonElement active) => [.. active.GetProperty("players").EnumerateArray().Select(p => p.GetProperty("playerKey").GetString()!).Order(StringComparer.Ordinal)];

    private string[] KeysOf(params string[] groups) =>
        [.. groups.SelectMany(g => AccessWorld.Groups[g].Members).Select(m => world.Keys[m.Id]).Distinct().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Issue_13_active_players_are_counted_for_the_org_and_named_only_inside_the_callers_scope()
    {
        var path = $"/v1/games/{AccessWorld.Game}/active?minutes=60";

        var admin = await GetAsync(path + $"&org={AccessWorld.OrgA}", world.Tokens["admin"]);
        var teacher = await GetAsync(path, world.Tokens["teacher-t1"]);
        var student = await GetAsync(path, world.Tokens["student"]);
        var classOnly = await GetAsync(path + "&scope=group:g1", world.Tokens["teacher-t1"]);

        Assert.Equal(KeysOf("g1", "g2"), Keys(admin));
        Assert.Equal(KeysOf("g1", "g2").Length, admin.GetProperty("active").GetInt32());
        Assert.Equal(admin.GetProperty("active").GetInt32(), teacher.GetProperty("active").GetInt32());
        Assert.Equal(KeysOf("g1"), Keys(teacher));
        Assert.Equal([world.Keys[AccessWorld.Student]], Keys(student));
        Assert.Equal(KeysOf("g1").Length, classOnly.GetProperty("active").GetInt32());
        var named = teacher.GetProperty("players").EnumerateArray().First(p => p.GetProperty("playerKey").GetString() == world.Keys[AccessWorld.Groups["g1"].Members[0].Id]);
        Assert.Equal(AccessWorld.Groups["g1"].Members[0].Name, named.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Issue_13_engagement_figures_cover_the_scope_asked_for()
    {
        var path = $"/v1/games/{AccessWorld.Game}/engagement?eventType=DialogueEvent&content=conversationId:31&days=1";

        var org = await GetAsync(path + $"&org={AccessWorld.OrgA}", world.Tokens["admin"]);
        var group = await GetAsync(path + "&scope=group:g1", world.Tokens["teacher-t1"]);
        var otherOrg = await GetAsync(path, world.Tokens["org-admin-B"]);

        Assert.Equal(KeysOf("g1", "g2").Length, org.GetProperty("uniquePlayers").GetInt64());
        Assert.Equal(KeysOf("g1").Length, group.GetProperty("uniquePlayers").GetInt64());
        Assert.Equal(KeysOf("gb").Length, otherOrg.GetProperty("uniquePlayers").GetInt64());
        Assert.True(org.GetProperty("totalEvents").GetInt64() >= org.GetProperty("uniquePlayers").GetInt64());
    }

    [Theory]
    [InlineData("active?org=org-test&minutes=0", 400, "'minutes' must be a whole number from 1 to 1440")]
    [InlineData("active?org=org-test&minutes=abc", 400, "'minutes' must be a whole number")]
    [InlineData("active", 400, "'org' is required with the admin token")]
    [InlineData("engagement?org=org-test", 400, "'eventType' is required")]
    [InlineData("engagement?org=org-test&eventType=E&content=nocolon", 400, "'content' must be FIELD:VALUE")]
    [InlineData("engagement?org=org-test&eventType=E&content=a.b:c", 400, "'content' must be FIELD:VALUE")]
    [InlineData("engagement?org=org-test&eventType=E&timeField=x;y", 400, "'timeField' must be a data field name")]
    [InlineData("engagement?org=org-test&eventType=E&days=400", 400, "'days' must be a whole number from 1 to 366")]
    [InlineData("engagement?org=org-test&eventType=E&scope=group:zz", 404, "No such group")]
    public async Task Issue_13_bad_activity_input_is_a_problem_with_a_specific_message(string query, int status, string detail)
    {
        using var response = await world.Server.SendAsync(HttpMethod.Get, $"/v1/games/{AccessWorld.Game}/{query}", TestServer.AdminToken, null);
        using var body = await TestServer.ReadJsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(detail, body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
