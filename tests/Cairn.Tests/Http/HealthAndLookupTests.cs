using System.Net;
using System.Text;
using Cairn.Identity;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>Health and player lookup over HTTP; a subclass per store says how to start the server.</summary>
public abstract class HealthAndLookupTests : IAsyncLifetime
{
    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    private protected TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await StartServerAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [SkippableTheory]
    [InlineData("/health/live", "live")]
    [InlineData("/health/ready", "ready")]
    public async Task Health_endpoints_answer_without_a_token(string path, string status)
    {
        using var response = await Server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        Assert.Equal(status, body.RootElement.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Ready_answers_503_when_the_store_is_not_migrated()
    {
        Server.Sql.Execute("DROP TABLE schema_migrations;");

        using var ready = await Server.Http.GetAsync("/health/ready");
        using var live = await Server.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [SkippableFact]
    public async Task Lookup_gives_the_player_key_and_whether_the_player_is_known()
    {
        const string player = "Lookup.Player@example.com";
        var expected = new PlayerKeys(Encoding.UTF8.GetBytes(TestServer.Pepper), 1).Compute(TestServer.Org, player);
        using var before = await Server.GetAsAdminAsync($"/v1/admin/players/lookup?org={TestServer.Org}&playerId={Uri.EscapeDataString(player)}");
        using var beforeBody = await TestServer.ReadJsonAsync(before);
        using (await Server.IngestAsync(Events.Canonical(Events.NewId(), player).ToJsonString()))
        {
        }

        using var after = await Server.SendAsync(HttpMethod.Post, "/v1/admin/players/lookup", TestServer.AdminToken,
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

    [SkippableFact]
    public async Task Lookup_in_another_org_gives_another_unknown_key()
    {
        const string player = "org.bound@example.com";
        using (await Server.IngestAsync(Events.Canonical(Events.NewId(), player).ToJsonString()))
        {
        }

        using var response = await Server.GetAsAdminAsync($"/v1/admin/players/lookup?org=other-org&playerId={Uri.EscapeDataString(player)}");

        using var body = await TestServer.ReadJsonAsync(response);
        Assert.NotEqual(await Server.PlayerKeyAsync(player), body.RootElement.GetProperty("playerKey").GetString());
        Assert.False(body.RootElement.GetProperty("known").GetBoolean());
    }
}
