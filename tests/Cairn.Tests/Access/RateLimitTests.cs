using System.Net;
using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_key_over_its_burst_gets_429_with_retry_after_while_another_key_is_unaffected()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ingest:RateLimitPerSecond"] = "2",
            ["Ingest:RateLimitBurst"] = "2",
        });
        var other = await server.CreateIngestKeyAsync(TestServer.Org, "game-other");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId())));
            statuses.Add(response.StatusCode);
            if (i == 2)
            {
                Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {response.Headers.RetryAfter}");
            }
        }
        using var otherResponse = await server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId(), game: "game-other")), other);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
    }
}
