using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cairn.Access;
using Cairn.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Xapi;

/// <summary>
/// Issue 17: the xAPI statements resource over real HTTP with an LRS credential (HTTP Basic), on each store: statements
/// are stored as events (pseudonymous at rest), read back re-identified, voided, paged, and they complete a progress
/// point and move a mastery row through the catalog like any event.
/// </summary>
public abstract class XapiStatementsHttpTests : IAsyncLifetime
{
    private const string Game = "xcourse";
    private const string Quiz = "http://example.org/course/quiz-1";
    private const string Completed = "http://adlnet.gov/expapi/verbs/completed";
    private const string Attempted = "http://adlnet.gov/expapi/verbs/attempted";

    private static readonly string Catalog = $$"""
        game: xcourse
        title: An xAPI course
        points:
          - id: Q1
            title: Finish quiz 1
            complete: { name: completed quiz 1, eventType: xapi.completed, data: { objectId: "{{Quiz}}" } }
        mastery:
          evidence:
            - event: { eventType: xapi.completed, data: { objectId: "{{Quiz}}" } }
              standards: [RP.7.1]
        """;

    private TestServer _server = null!;
    private string _basic = null!;

    private protected abstract Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs);

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, new Dictionary<string, string> { ["xcourse.yaml"] = Catalog });
        _basic = await CreateLrsAsync(TestServer.Org, Game);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> CreateLrsAsync(string org, string game)
    {
        var (record, secret) = await _server.Services.GetRequiredService<ApiKeys>().CreateLrsKeyAsync(org, game, CancellationToken.None);
        return $"{record.Id}:{secret}";
    }

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? json, string? basic = null, string? version = "1.0.3")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (version is not null)
        {
            request.Headers.Add("X-Experience-API-Version", version);
        }
        if ((basic ?? _basic) is { Length: > 0 } credential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential)));
        }
        var response = await _server.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static string Statement(string? id, string mbox, string verb, string activity, string? result = null) =>
        "{" + (id is null ? "" : $"\"id\":\"{id}\",") + $"\"actor\":{{\"objectType\":\"Agent\",\"name\":\"Ann Example\",\"mbox\":\"mailto:{mbox}\"}}," +
        $"\"verb\":{{\"id\":\"{verb}\"}},\"object\":{{\"id\":\"{activity}\"}}" + (result is null ? "" : $",\"result\":{result}") + "}";

    [SkippableFact]
    public async Task Issue_17_about_needs_no_credential_and_statements_need_the_version_header_and_an_lrs_credential()
    {
        var about = await SendAsync(HttpMethod.Get, "/xapi/about", null, basic: "", version: null);
        var noVersion = await SendAsync(HttpMethod.Get, "/xapi/statements", null, version: null);
        var badVersion = await SendAsync(HttpMethod.Get, "/xapi/statements", null, version: "0.95");
        var anonymous = await SendAsync(HttpMethod.Get, "/xapi/statements", null, basic: "");
        var wrongPassword = await SendAsync(HttpMethod.Get, "/xapi/statements", null, basic: _basic.Split(':')[0] + ":clk_wrong");
        var wrongUser = await SendAsync(HttpMethod.Get, "/xapi/statements", null, basic: "key_other:" + _basic.Split(':', 2)[1]);
        var v2 = await SendAsync(HttpMethod.Get, "/xapi/statements", null, version: "2.0.0");

        Assert.Equal(HttpStatusCode.OK, about.Status);
        Assert.Equal(["2.0.0", "1.0.3"], JsonDocument.Parse(about.Body).RootElement.GetProperty("version").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badVersion.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongUser.Status);
        Assert.Equal(HttpStatusCode.OK, v2.Status);
        Assert.Equal("2.0.0", v2.Response.Headers.GetValues("X-Experience-API-Version").Single());
        Assert.True(v2.Response.Headers.Contains("X-Experience-API-Consistent-Through"));
    }

    [SkippableFact]
    public async Task Issue_17_a_statement_is_stored_under_the_playerKey_and_read_back_with_its_actor()
    {
        var id = Guid.NewGuid().ToString("D");

        var put = await SendAsync(HttpMethod.Put, $"/xapi/statements?statementId={id}", Statement(id, "ann@example.org", Attempted, Quiz));
        var again = await SendAsync(HttpMethod.Put, $"/xapi/statements?statementId={id}", Statement(id, "ann@example.org", Attempted, Quiz));
        var conflict = await SendAsync(HttpMethod.Put, $"/xapi/statements?statementId={id}", Statement(id, "ann@example.org", Completed, Quiz));
        var read = await SendAsync(HttpMethod.Get, $"/xapi/statements?statementId={id}", null);
        var other = await CreateLrsAsync("org-other", Game);
        var otherOrg = await SendAsync(HttpMethod.Get, $"/xapi/statements?statementId={id}", null, basic: other);

        Assert.Equal(HttpStatusCode.NoContent, put.Status);
        Assert.Equal(HttpStatusCode.NoContent, again.Status);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.NotNull(read.Response.Content.Headers.LastModified);
        var statement = JsonDocument.Parse(read.Body).RootElement;
        Assert.Equal("mailto:ann@example.org", statement.GetProperty("actor").GetProperty("mbox").GetString());
        Assert.Equal(Attempted, statement.GetProperty("verb").GetProperty("id").GetString());
        Assert.True(statement.TryGetProperty("stored", out _));
        Assert.Equal(HttpStatusCode.NotFound, otherOrg.Status);
        // At rest the event holds the playerKey; the address is only in the directory, and the name is not kept at all.
        var playerKey = await _server.PlayerKeyAsync("mbox:mailto:ann@example.org");
        var events = string.Join('\n', _server.Sql.Column($"SELECT CAST(data AS TEXT) FROM events WHERE event_id = '{id}' AND player_key = '{playerKey}'"));
        Assert.Contains(Quiz, events, StringComparison.Ordinal);
        Assert.DoesNotContain("ann@example.org", events, StringComparison.Ordinal);
        Assert.DoesNotContain("Ann Example", events, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Issue_17_bad_statements_are_400_and_cost_nothing_of_the_batch()
    {
        var good = Statement(null, "ann@example.org", Attempted, Quiz);
        var cases = new[]
        {
            "[" + good + ",{\"actor\":{\"mbox\":\"ann@example.org\"},\"verb\":{\"id\":\"" + Attempted + "\"},\"object\":{\"id\":\"" + Quiz + "\"}}]",
            "{\"actor\":{\"mbox\":\"mailto:a@b.org\"},\"verb\":{\"id\":\"not an iri\"},\"object\":{\"id\":\"" + Quiz + "\"}}",
            "{\"actor\":{\"mbox\":\"mailto:a@b.org\"},\"verb\":{\"id\":\"" + Attempted + "\"}}",
            "{\"actor\":{\"mbox\":\"mailto:a@b.org\",\"openid\":\"http://a.org/x\"},\"verb\":{\"id\":\"" + Attempted + "\"},\"object\":{\"id\":\"" + Quiz + "\"}}",
            "{\"id\":\"nope\",\"actor\":{\"mbox\":\"mailto:a@b.org\"},\"verb\":{\"id\":\"" + Attempted + "\"},\"object\":{\"id\":\"" + Quiz + "\"}}",
            "{\"actor\":{\"mbox\":\"mailto:a@b.org\"},\"verb\":{\"id\":\"" + Attempted + "\"},\"object\":{\"id\":\"" + Quiz + "\"},\"bogus\":1}",
            "not json",
        };

        foreach (var body in cases)
        {
            var response = await SendAsync(HttpMethod.Post, "/xapi/statements", body);
            Assert.True(response.Status == HttpStatusCode.BadRequest, $"{body}: {(int)response.Status} {response.Body}");
        }
        var list = await SendAsync(HttpMethod.Get, "/xapi/statements", null);
        Assert.Empty(JsonDocument.Parse(list.Body).RootElement.GetProperty("statements").EnumerateArray());
    }

    [SkippableFact]
    public async Task Issue_17_filters_paging_and_voiding()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var post = await SendAsync(HttpMethod.Post, "/xapi/statements",
                "[" + Statement(null, i % 2 == 0 ? "ann@example.org" : "bob@example.org", i < 3 ? Attempted : Completed, Quiz + "/" + i) + "]");
            Assert.True(post.Status == HttpStatusCode.OK, post.Body);
            ids.Add(JsonDocument.Parse(post.Body).RootElement[0].GetString()!);
        }
        var voiding = "{\"actor\":{\"mbox\":\"mailto:teacher@example.org\"},\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/voided\"}," +
            $"\"object\":{{\"objectType\":\"StatementRef\",\"id\":\"{ids[0]}\"}}}}";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/xapi/statements", voiding)).Status);

        var byAgent = await ListAsync("agent=" + Uri.EscapeDataString("{\"mbox\":\"mailto:ann@example.org\"}"));
        var byVerb = await ListAsync("verb=" + Uri.EscapeDataString(Completed));
        var byActivity = await ListAsync("activity=" + Uri.EscapeDataString(Quiz + "/3"));
        var ascending = await ListAsync("ascending=true&verb=" + Uri.EscapeDataString(Attempted));
        var pages = new List<string>();
        var next = "/xapi/statements?limit=2";
        while (next.Length > 0)
        {
            var page = await SendAsync(HttpMethod.Get, next, null);
            var body = JsonDocument.Parse(page.Body).RootElement;
            pages.AddRange(body.GetProperty("statements").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            next = body.GetProperty("more").GetString()!;
            Assert.True(pages.Count < 20, "paging never ends");
        }
        var voided = await SendAsync(HttpMethod.Get, $"/xapi/statements?voidedStatementId={ids[0]}", null);
        var hidden = await SendAsync(HttpMethod.Get, $"/xapi/statements?statementId={ids[0]}", null);

        Assert.Equal([ids[4], ids[2]], byAgent); // newest first; ids[0] is voided
        Assert.Equal([ids[4], ids[3]], byVerb);
        Assert.Equal([ids[3]], byActivity);
        Assert.Equal([ids[1], ids[2]], ascending);
        Assert.Equal(5, pages.Count); // the voiding statement and four not voided
        Assert.Equal(pages.Count, pages.Distinct().Count());
        Assert.DoesNotContain(ids[0], pages);
        Assert.Equal(HttpStatusCode.OK, voided.Status);
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
    }

    private async Task<List<string>> ListAsync(string query)
    {
        var response = await SendAsync(HttpMethod.Get, "/xapi/statements?" + query, null);
        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        return JsonDocument.Parse(response.Body).RootElement.GetProperty("statements").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
    }

    [SkippableFact]
    public async Task Issue_17_a_completed_statement_completes_the_point_and_moves_the_mastery_row()
    {
        var post = await SendAsync(HttpMethod.Post, "/xapi/statements",
            Statement(null, "cat@example.org", Completed, Quiz, "{\"success\":true,\"score\":{\"scaled\":0.9}}"));
        Assert.True(post.Status == HttpStatusCode.OK, post.Body);
        var playerKey = await _server.PlayerKeyAsync("mbox:mailto:cat@example.org");

        var progress = await PollAsync($"/v1/players/{playerKey}/progress?game={Game}",
            body => body.GetProperty("points").EnumerateArray().Any(p => p.GetProperty("pointId").GetString() == "Q1"
                && p.TryGetProperty("completedAt", out var at) && at.ValueKind == JsonValueKind.String));
        var mastery = await PollAsync($"/v1/players/{playerKey}/mastery", body => body.GetProperty("standards").GetArrayLength() > 0);

        var point = progress.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("pointId").GetString() == "Q1");
        Assert.True(point.TryGetProperty("completedAt", out var completedAt) && completedAt.ValueKind == JsonValueKind.String, point.GetRawText());
        var row = mastery.GetProperty("standards").EnumerateArray().Single();
        Assert.Equal("RP.7.1", row.GetProperty("standardId").GetString());
        Assert.Equal(1, row.GetProperty("correct").GetInt32());
        Assert.True(row.GetProperty("pMastery").GetDouble() > 0.2, row.GetRawText());
    }

    private async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> until)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await _server.GetAsAdminAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && until(JsonDocument.Parse(text).RootElement))
            {
                return JsonDocument.Parse(text).RootElement.Clone();
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{path} never got there: {(int)response.StatusCode} {text}");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteXapiStatementsHttpTests : XapiStatementsHttpTests
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(overrides, catalogs);
}

public sealed class PostgresXapiStatementsHttpTests(PostgresServer postgres) : XapiStatementsHttpTests, IClassFixture<PostgresServer>
{
    private protected override Task<TestServer> StartServerAsync(IReadOnlyDictionary<string, string?> overrides, IReadOnlyDictionary<string, string> catalogs) =>
        TestServer.StartAsync(postgres, overrides, catalogs);
}
