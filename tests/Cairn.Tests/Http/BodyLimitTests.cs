using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>Bodies are read only from authenticated callers, and only up to the endpoint's limit.</summary>
public sealed class BodyLimitTests
{
    /// <summary>A JSON body of about <paramref name="bytes"/> bytes, written as it is sent (the test holds no copy of it).</summary>
    private sealed class LargeJson(long bytes) : HttpContent
    {
        private static readonly byte[] Filler = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{\"id\":\"g\",\"name\":\""u8.ToArray());
            for (long sent = 0; sent < bytes; sent += Filler.Length)
            {
                await stream.WriteAsync(Filler);
            }
            await stream.WriteAsync("\"}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 18 + ((bytes + Filler.Length - 1) / Filler.Length * Filler.Length) + 2;
            return true;
        }
    }

    private static HttpRequestMessage Post(string path, HttpContent content, string? token)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    [Fact]
    public async Task Issue_7_a_large_body_without_a_token_gets_401_and_the_server_does_not_buffer_it()
    {
        using var root = new TempDirectory();
        using var server = await CairnProcess.StartAsync(root.Combine("data"));
        // Warm up the paths the large request takes, so start-up allocations are not counted.
        for (var i = 0; i < 3; i++)
        {
            using var small = await server.Http.SendAsync(Post("/v1/groups", new StringContent("{}"), token: null));
            Assert.Equal(HttpStatusCode.Unauthorized, small.StatusCode);
        }
        var before = server.ResidentBytes();

        HttpStatusCode? status = null;
        try
        {
            using var response = await server.Http.SendAsync(Post("/v1/groups", new LargeJson(64L * 1024 * 1024), token: null));
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server answered and closed the connection before the client had sent the whole body.
        }
        var growth = server.ResidentBytes() - before;

        Assert.True(status is null or HttpStatusCode.Unauthorized, $"status {status}");
        Assert.True(growth < 16L * 1024 * 1024, $"the server grew by {growth / (1024 * 1024)} MB for a body it should never read");
    }

    [Fact]
    public async Task Issue_7_a_body_over_the_limit_gets_413_even_with_a_valid_token()
    {
        // A small limit, so the client has sent the whole body before the server refuses it (no race with the close).
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Http:MaxBodyBytes"] = "1000" });

        using var declaredRequest = Post("/v1/groups", new LargeJson(64 * 1024), TestServer.AdminToken);
        declaredRequest.Headers.ExpectContinue = true;
        using var declared = await server.Http.SendAsync(declaredRequest);
        using var chunkedRequest = Post("/v1/admin/keys", new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("{\"org\":\"" + new string('o', 2000) + "\"}"))), TestServer.AdminToken);
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var streamed = await server.Http.SendAsync(chunkedRequest);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Contains("at most 1000", await declared.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
    }

    [Fact]
    public async Task Issue_7_a_roster_may_be_larger_than_other_bodies()
    {
        await using var server = await TestServer.StartAsync();
        using (var created = await server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken,
            $$"""{"id":"g1","org":"{{TestServer.Org}}","name":"G","game":"{{TestServer.Game}}","teachers":["t1"]}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        // 2 MB of JSON whitespace around a one-member roster: over the general limit, under the roster's.
        var roster = "[{\"playerId\":\"ada@school.example\"}]" + new string(' ', 2 * 1024 * 1024);

        using var response = await server.SendAsync(HttpMethod.Put, "/v1/groups/g1/members", TestServer.AdminToken, roster);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
