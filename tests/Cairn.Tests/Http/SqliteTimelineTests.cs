using System.Net;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// The <see cref="TimelineTests"/> facts on the embedded SQLite store, a file in the server's temp data directory,
/// and the parameter checks that answer before any store is asked (run once, here).
/// </summary>
public sealed class SqliteTimelineTests : TimelineTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);

    [Theory]
    [InlineData("since=yesterday")]
    [InlineData("until=2025-13-01")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=-1")]
    [InlineData("limit=abc")]
    [InlineData("cursor=%%%")]
    [InlineData("cursor=bm90LWEtY3Vyc29y")]
    public async Task Timeline_answers_400_for_bad_parameters(string query)
    {
        using var response = await Server.GetAsAdminAsync($"/v1/players/{PlayerKey}/events?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("not-a-key")]
    public async Task Timeline_answers_400_for_a_raw_id_instead_of_a_player_key(string key)
    {
        using var response = await Server.GetAsAdminAsync($"/v1/players/{Uri.EscapeDataString(key)}/events");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
