using System.Net;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// The <see cref="HealthAndLookupTests"/> facts on the embedded SQLite store, a file in the server's temp data directory,
/// and the request validation that answers before any store is asked (run once, here).
/// </summary>
public sealed class SqliteHealthAndLookupTests : HealthAndLookupTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);

    [Theory]
    [InlineData("GET", "/v1/admin/players/lookup?playerId=a", null)]
    [InlineData("GET", "/v1/admin/players/lookup?org=org-test", null)]
    [InlineData("GET", "/v1/admin/players/lookup?org=org-test&playerId=%20%20", null)]
    [InlineData("POST", "/v1/admin/players/lookup", """{"playerId":"a"}""")]
    [InlineData("POST", "/v1/admin/players/lookup", """{"org":"bad org","playerId":"a"}""")]
    public async Task Lookup_answers_400_without_org_or_player_id(string method, string path, string? json)
    {
        using var response = await Server.SendAsync(new HttpMethod(method), path, TestServer.AdminToken, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
