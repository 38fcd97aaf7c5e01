using System.Net;
using System.Net.Http.Headers;
using Cairn.Tests.Support;

namespace Cairn.Tests.Http;

/// <summary>
/// Requests Cairn refuses, as RFC 7807 problems, on a server with small limits. The facts here meet the store (keys are
/// looked up in it, events written to it); a subclass per store says how to start the server.
/// </summary>
public abstract class RequestErrorTests : IAsyncLifetime
{
    private protected const int MaxBodyBytes = 4096;
    private protected const int MaxEventsPerBatch = 3;

    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    private protected TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await StartServerAsync(new Dictionary<string, string?>
    {
        ["Ingest:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingest:MaxEventsPerBatch"] = MaxEventsPerBatch.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private protected static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private protected static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = System.Text.Json.JsonDocument.Parse(text);
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
    }

    private protected long EventCount() => Server.Sql.Scalar("SELECT COUNT(*) FROM events;");

    [SkippableTheory]
    [InlineData("cik_not-a-real-key")]
    [InlineData("cat_wrong-admin-token")]
    [InlineData("x")]
    public async Task PostEvents_answers_401_for_an_unknown_token(string token)
    {
        using var response = await Server.PostEventsAsync(Events.Canonical(Events.NewId()).ToJsonString(), token);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, EventCount());
    }

    [SkippableFact]
    public async Task PostEvents_answers_403_for_the_admin_token()
    {
        using var response = await Server.PostEventsAsync(Events.Canonical(Events.NewId()).ToJsonString(), TestServer.AdminToken);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(0, EventCount());
    }

    [SkippableTheory]
    [InlineData("GET", "/v1/admin/rejected")]
    [InlineData("GET", "/v1/admin/players/lookup?org=org-test&playerId=a")]
    [InlineData("POST", "/v1/admin/players/lookup")]
    [InlineData("POST", "/v1/admin/keys")]
    [InlineData("GET", "/v1/players/p1_0123456789abcdef0123456789abcdef/events")]
    public async Task Admin_calls_answer_403_for_an_ingest_key(string method, string path)
    {
        var json = method == "POST" ? """{"org":"org-test","game":"g2","playerId":"a"}""" : null;

        using var response = await Server.SendAsync(new HttpMethod(method), path, Server.IngestKey, json);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(1, Server.Sql.Scalar("SELECT COUNT(*) FROM api_keys;"));
    }

    [SkippableFact]
    public async Task PostEvents_accepts_a_batch_at_the_event_limit()
    {
        var events = Enumerable.Range(0, MaxEventsPerBatch).Select(_ => Events.Canonical(Events.NewId())).ToArray();

        using var body = await Server.IngestAsync(Events.Array(events));

        Assert.Equal(MaxEventsPerBatch, body.RootElement.GetProperty("accepted").GetInt32());
    }
}
