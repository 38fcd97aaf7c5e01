using System.Net;
using System.Text;
using Cairn.Identity;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

public sealed class HealthAndLookupTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/health/live", "live")]
    [InlineData("/health/ready", "ready")]
    public async Task Health_endpoints_answer_without_a_token(string path, string status)
    {
        using var response = await _server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        Assert.Equal(status, body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_answers_503_when_the_store_is_not_migrated()
    {
        Database.Execute(_server.DatabasePath, "DROP TABLE schema_migrations;");

        using var ready = await _server.Http.GetAsync("/health/ready");
        using var live = await _server.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Lookup_gives_the_player_key_and_whether_the_player_is_known()
    {
        const string player = "Lookup.Player@example.com";
        var expected = new PlayerKeys(Encoding.UTF8.GetBytes(TestServer.Pepper), 1).Compute(TestServer.Org, player);
        using var before = await _server.GetAsAdminAsync($"/v1/admin/players/lookup?org={TestServer.Org}&playerId={Uri.EscapeDataString(player)}");
        using var beforeBody = await TestServer.ReadJsonAsync(before);
        using (await _server.IngestAsync(Events.Canonical(Events.NewId(), player).ToJsonString()))
        {
        }

        using var after = await _server.SendAsync(HttpMethod.Post, "/v1/admin/players/lookup", TestServer.AdminToken,
            $$"""{"org":"{{TestServer.Org}}","playerId":"  lookup.player@EXAMPLE.com "}""");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(expected, beforeBody.RootElement.GetProperty("playerKey").GetString());
        Assert.False(beforeBody.RootElement.GetProperty("known").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        using var afterBody = await TestServer.ReadJsonAsync(after);
        Assert.Equal(expected, afterBody.RootElement.GetProperty("playerKey").GetString());
        Assert.True(afterBody.RootElement.GetProperty("known").GetBoolean());
        Assert.Equal(TestServer.Org, afterBody.RootElement.GetProperty("org").GetString());
    }

    [Fact]
    public async Task Lookup_in_another_org_gives_another_unknown_key()
    {
        const string player = "org.bound@example.com";
        using (await _server.IngestAsync(Events.Canonical(Events.NewId(), player).ToJsonString()))
        {
        }

        using var response = await _server.GetAsAdminAsync($"/v1/admin/players/lookup?org=other-org&playerId={Uri.EscapeDataString(player)}");

        using var body = await TestServer.ReadJsonAsync(response);
        Assert.NotEqual(await _server.PlayerKeyAsync(player), body.RootElement.GetProperty("playerKey").GetString());
        Assert.False(body.RootElement.GetProperty("known").GetBoolean());
    }

    [Theory]
    [InlineData("GET", "/v1/admin/players/lookup?playerId=a", null)]
    [InlineData("GET", "/v1/admin/players/lookup?org=org-test", null)]
    [InlineData("GET", "/v1/admin/players/lookup?org=org-test&playerId=%20%20", null)]
    [InlineData("POST", "/v1/admin/players/lookup", """{"playerId":"a"}""")]
    [InlineData("POST", "/v1/admin/players/lookup", """{"org":"bad org","playerId":"a"}""")]
    public async Task Lookup_answers_400_without_org_or_player_id(string method, string path, string? json)
    {
        using var response = await _server.SendAsync(new HttpMethod(method), path, TestServer.AdminToken, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
