using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// The <see cref="RequestErrorTests"/> facts on the embedded SQLite store, a file in the server's temp data directory,
/// and the refusals that are decided before any store is asked (run once, here).
/// </summary>
public sealed class SqliteRequestErrorTests : RequestErrorTests
{
    private protected override Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null) =>
        TestServer.StartAsync(overrides, catalogs);

    public static TheoryData<string, byte[]> Garbage()
    {
        var random = new Random(20250929);
        var data = new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "whitespace", "   \n\t "u8.ToArray() },
            { "open brace", "{"u8.ToArray() },
            { "truncated object", """{"eventId":"e1","eventType":"""u8.ToArray() },
            { "truncated array", """[{"eventId":"e1"},"""u8.ToArray() },
            { "trailing garbage", """{"eventId":"e1"} xyz"""u8.ToArray() },
            { "single quotes", "{'eventId':'e1'}"u8.ToArray() },
            { "plain text", "hello events"u8.ToArray() },
            { "bare number", "42"u8.ToArray() },
            { "bare string", "\"an event\""u8.ToArray() },
            { "null", "null"u8.ToArray() },
            { "events not an array", """{"events":{"eventId":"e1"}}"""u8.ToArray() },
            { "invalid utf-8", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D] },
            { "nul bytes", new byte[64] },
            { "deep arrays", Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200)) },
            { "deep objects in an event", Encoding.UTF8.GetBytes("""{"eventId":"e","data":""" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101)) },
            { "unclosed deep nesting", Encoding.UTF8.GetBytes(new string('[', 3000)) },
        };
        for (var i = 0; i < 5; i++)
        {
            var bytes = new byte[random.Next(1, 2048)];
            random.NextBytes(bytes);
            bytes[0] = (byte)'{';
            data.Add($"random bytes #{i}", bytes);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task PostEvents_answers_400_never_500_for_a_body_that_is_not_usable_json(string name, byte[] body)
    {
        using var response = await Server.PostEventsAsync(Json(body));

        Assert.False(string.IsNullOrEmpty(name));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, EventCount());
    }

    [Fact]
    public async Task PostEvents_answers_401_without_a_token()
    {
        using var response = await Server.PostEventsAsync(Events.Canonical(Events.NewId()).ToJsonString(), token: "");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task PostEvents_answers_401_for_a_non_bearer_scheme()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = new StringContent(Events.Canonical(Events.NewId()).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + Server.IngestKey)));

        using var response = await Server.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/v1/admin/rejected")]
    [InlineData("/v1/admin/players/lookup?org=org-test&playerId=a")]
    [InlineData("/v1/players/p1_0123456789abcdef0123456789abcdef/events")]
    public async Task Admin_calls_answer_401_without_a_token(string path)
    {
        using var response = await Server.SendAsync(HttpMethod.Get, path, "", null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PostEvents_answers_413_for_a_body_over_the_limit()
    {
        var events = Enumerable.Range(0, 2).Select(_ =>
        {
            var e = Events.Canonical(Events.NewId());
            e["data"]!["padding"] = new string('x', MaxBodyBytes);
            return e;
        }).ToArray();

        using var response = await Server.PostEventsAsync(Events.Array(events));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, EventCount());
    }

    [Fact]
    public async Task PostEvents_answers_413_for_a_chunked_body_over_the_limit()
    {
        var e = Events.Canonical(Events.NewId());
        e["data"]!["padding"] = new string('x', MaxBodyBytes * 3);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(e.ToJsonString())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Server.IngestKey);

        using var response = await Server.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task PostEvents_answers_413_when_a_small_gzip_body_inflates_over_the_limit()
    {
        var e = Events.Canonical(Events.NewId());
        e["data"]!["padding"] = new string('x', MaxBodyBytes * 10);
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(e.ToJsonString()));
        }
        Assert.True(compressed.Length < MaxBodyBytes);
        var content = Json(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await Server.PostEventsAsync(content);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, EventCount());
    }

    [Fact]
    public async Task PostEvents_answers_413_for_a_batch_over_the_event_limit()
    {
        var events = Enumerable.Range(0, MaxEventsPerBatch + 1).Select(_ => Events.Canonical(Events.NewId())).ToArray();

        using var response = await Server.PostEventsAsync(Events.Array(events));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, EventCount());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task PostEvents_answers_415_for_a_body_that_is_not_declared_json(string? mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Events.Canonical(Events.NewId()).ToJsonString()));
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        using var response = await Server.PostEventsAsync(content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, EventCount());
    }

    [Theory]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task PostEvents_answers_415_for_an_unsupported_content_encoding(string encoding)
    {
        var content = Json(Encoding.UTF8.GetBytes(Events.Canonical(Events.NewId()).ToJsonString()));
        content.Headers.ContentEncoding.Add(encoding);

        using var response = await Server.PostEventsAsync(content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("""{"game":"g"}""")]
    [InlineData("""{"org":"o"}""")]
    [InlineData("""{"org":"bad org!","game":"g"}""")]
    public async Task CreateKey_answers_400_without_a_valid_org_and_game(string json)
    {
        using var response = await Server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken, json);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
