using System.Net;
using System.Text.Json;
using Cairn.Tests.Access;
using Cairn.Tests.Support;

namespace Cairn.Tests.Funnels;

/// <summary>
/// Funnels and retention over HTTP in the two-org world of the authorization tests: every member sent a DialogueEvent, the
/// first member of each group then a concept_mastered; counts cover the scope, dropped players' keys only the caller's scope.
/// </summary>
public sealed class FunnelsApiTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private const string Steps = """{"steps":["DialogueEvent","concept_mastered"]}""";

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string token, string? body = null)
    {
        using var response = await world.Server.SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private string[] KeysOf(params string[] groups) =>
        [.. groups.SelectMany(g => AccessWorld.Groups[g].Members).Select(m => world.Keys[m.Id]).Distinct().Order(StringComparer.Ordinal)];

    private string[] FirstsOf(params string[] groups) => [.. groups.Select(g => world.Keys[AccessWorld.Groups[g].Members[0].Id]).Order(StringComparer.Ordinal)];

    private static long[] Players(JsonElement funnel) => [.. funnel.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("players").GetInt64())];

    private static string[] Dropped(JsonElement funnel) =>
        [.. funnel.GetProperty("dropped")[0].GetProperty("players").EnumerateArray().Select(p => p.GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Issue_15_funnel_counts_cover_the_scope_and_name_only_the_callers_dropped_players()
    {
        var path = $"/v1/games/{AccessWorld.Game}/funnels/query";
        var groups = AccessWorld.Groups.Where(g => g.Value.Org == AccessWorld.OrgA && g.Key != AccessWorld.WavesGroup).Select(g => g.Key).ToArray();

        var admin = await SendAsync(HttpMethod.Post, path + $"?org={AccessWorld.OrgA}", TestServer.AdminToken, Steps);
        var teacher = await SendAsync(HttpMethod.Post, path, world.Tokens["teacher-t1"], Steps);
        var classOnly = await SendAsync(HttpMethod.Post, path, world.Tokens["teacher-t1"], Steps.Replace("]}", """],"scope":"group:g1"}""", StringComparison.Ordinal));

        Assert.Equal([KeysOf(groups).Length, FirstsOf(groups).Length], Players(admin));
        Assert.Equal(KeysOf(groups).Except(FirstsOf(groups)).Order(StringComparer.Ordinal), Dropped(admin));
        Assert.Equal(Players(admin)[0] - Players(admin)[1], admin.GetProperty("dropped")[0].GetProperty("count").GetInt64());
        Assert.Equal(Players(admin), Players(teacher));
        Assert.Equal(KeysOf("g1").Except(FirstsOf("g1")).Order(StringComparer.Ordinal), Dropped(teacher));
        Assert.Equal([KeysOf("g1").Length, 1], Players(classOnly));
    }

    [Fact]
    public async Task Issue_15_retention_cohorts_hold_every_player_of_the_scope_first_seen_in_the_range()
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-2).ToString("O"));
        var path = $"/v1/games/{AccessWorld.Game}/retention?interval=day&from={from}";

        var org = await SendAsync(HttpMethod.Get, path + $"&org={AccessWorld.OrgA}", TestServer.AdminToken);
        var group = await SendAsync(HttpMethod.Get, path + "&scope=group:g1", world.Tokens["teacher-t1"]);

        var groups = AccessWorld.Groups.Where(g => g.Value.Org == AccessWorld.OrgA && g.Key != AccessWorld.WavesGroup).Select(g => g.Key).ToArray();
        Assert.Equal(KeysOf(groups).Length, org.GetProperty("cohorts").EnumerateArray().Sum(c => c.GetProperty("players").GetInt64()));
        Assert.Equal(KeysOf("g1").Length, group.GetProperty("cohorts").EnumerateArray().Sum(c => c.GetProperty("players").GetInt64()));
        Assert.All(org.GetProperty("cohorts").EnumerateArray(), c => Assert.Equal(c.GetProperty("players").GetInt64(), c.GetProperty("active")[0].GetInt64()));
    }

    [Theory]
    [InlineData("not json", 400, "the body is not valid JSON")]
    [InlineData("[]", 400, "the body must be a JSON object")]
    [InlineData("{}", 400, "'steps' is required")]
    [InlineData("""{"steps":[]}""", 400, "'steps' is required")]
    [InlineData("""{"steps":["A"],"colour":1}""", 400, "unknown field 'colour'")]
    [InlineData("""{"steps":[{"data":{"n":1}}]}""", 400, "steps[0] is missing 'eventType'")]
    [InlineData("""{"steps":[{"eventType":"A","data":{"n":[1]}}]}""", 400, "steps[0].data.n must be a number, a string or a boolean")]
    [InlineData("""{"steps":["A"],"order":"loose"}""", 400, "'order' must be ordered, strict or any")]
    [InlineData("""{"steps":["A"],"windowSeconds":0}""", 400, "'windowSeconds' must be a whole number")]
    [InlineData("""{"steps":["A"],"breakdown":"platform"}""", 400, "'breakdown' must name a field")]
    [InlineData("""{"steps":["A","B"],"exclusions":[{"pattern":"Q","between":[1,1]}]}""", 400, "'between' must be two step indexes")]
    [InlineData("""{"steps":["A","B"],"order":"any","exclusions":[{"pattern":"Q","between":[0,1]}]}""", 400, "exclusions need the ordered or strict order")]
    [InlineData("""{"steps":["A"],"from":"2025-03-02T00:00:00Z","to":"2025-03-01T00:00:00Z"}""", 400, "'from' must be before 'to'")]
    [InlineData("""{"steps":["A"],"from":"yesterday"}""", 400, "'from' must be an ISO 8601 time")]
    [InlineData("""{"steps":["A"],"scope":"group:zz"}""", 404, "No such group")]
    public async Task Issue_15_a_bad_funnel_query_is_a_problem_with_a_specific_message(string body, int status, string detail)
    {
        using var response = await world.Server.SendAsync(HttpMethod.Post, $"/v1/games/{AccessWorld.Game}/funnels/query?org={TestServer.Org}", TestServer.AdminToken, body);
        using var problem = await TestServer.ReadJsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("retention?org=org-test&interval=month", 400, "'interval' must be day or week")]
    [InlineData("retention?org=org-test&to=soon", 400, "'to' must be an ISO 8601 time")]
    [InlineData("retention?org=org-test&from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", 400, "spans at most 366 days")]
    [InlineData("funnels/nope/run?org=org-test", 404, "No saved funnel 'nope'")]
    public async Task Issue_15_bad_retention_and_run_input_is_a_problem_with_a_specific_message(string query, int status, string detail)
    {
        using var response = await world.Server.SendAsync(HttpMethod.Get, $"/v1/games/{AccessWorld.Game}/{query}", TestServer.AdminToken, null);
        using var problem = await TestServer.ReadJsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_15_an_anonymous_funnel_query_is_refused_before_its_body_is_read()
    {
        using var response = await world.Server.SendAsync(HttpMethod.Post, $"/v1/games/{AccessWorld.Game}/funnels/query", "", "not json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
