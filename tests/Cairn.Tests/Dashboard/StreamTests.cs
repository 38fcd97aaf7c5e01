using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Dashboard;

/// <summary>The class progress stream (server-sent events); a subclass per store says how to start the server.</summary>
public abstract class StreamTests
{
    /// <summary>A new server on an empty store of the subclass's kind.</summary>
    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    /// <summary>Reads SSE events (id, event, data) from a response until the predicate holds or time runs out.</summary>
    private sealed class SseReader(HttpResponseMessage response) : IDisposable
    {
        private readonly StreamReader _reader = new(response.Content.ReadAsStream());

        public async Task<(string? Id, JsonDocument Data)> NextCellAsync(Func<JsonElement, bool> wanted, double seconds = 30)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            string? id = null, type = null, data = null;
            while (true)
            {
                var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("stream ended");
                if (line.Length == 0)
                {
                    if (type == "cell" && data is not null)
                    {
                        var doc = JsonDocument.Parse(data);
                        if (wanted(doc.RootElement))
                        {
                            return (id, doc);
                        }
                        doc.Dispose();
                    }
                    id = type = data = null;
                    continue;
                }
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
        }

        /// <summary>Whether the server sends an <c>end</c> event and closes the stream within the time.</summary>
        public async Task<bool> EndsAsync(double seconds = 30)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var sawEnd = false;
            try
            {
                while (await _reader.ReadLineAsync(timeout.Token) is { } line)
                {
                    sawEnd |= line == "event: end";
                }
                return sawEnd;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _reader.Dispose();
            response.Dispose();
        }
    }

    /// <summary>Opens the stream with a bearer token (or none, for a client whose cookies sign it in), answering any status.</summary>
    private static async Task<HttpResponseMessage> RequestStreamAsync(HttpClient http, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/groups/{DashboardServer.GroupId}/progress/stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<SseReader> OpenAsync(HttpClient http, string? token)
    {
        var response = await RequestStreamAsync(http, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new SseReader(response);
    }

    /// <summary>A read token for the class's teacher; returns its id (to revoke it) and secret.</summary>
    private static async Task<(string Id, string Key)> TeacherTokenAsync(DashboardServer d, string teacher = "t-1")
    {
        using var response = await d.Server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, role = "teacher", teachers = new[] { teacher } }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = await TestServer.ReadJsonAsync(response);
        return (body.RootElement.GetProperty("id").GetString()!, body.RootElement.GetProperty("key").GetString()!);
    }

    private static async Task<SseReader> OpenAsync(DashboardServer d, string? lastEventId = null, string? since = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/groups/{DashboardServer.GroupId}/progress/stream" + (since is null ? "" : "?since=" + Uri.EscapeDataString(since)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await d.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response);
    }

    [SkippableFact]
    public async Task Metrics_count_the_open_live_streams()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var before = await Observability.Scrape.TakeAsync(d.Server);

        var stream = await OpenAsync(d);
        var open = await Observability.Scrape.TakeAsync(d.Server);
        stream.Dispose();
        var closed = open;
        for (var i = 0; i < 200 && closed.Value("cairn_live_streams") != 0; i++)
        {
            await Task.Delay(25);
            closed = await Observability.Scrape.TakeAsync(d.Server);
        }

        Assert.Equal(0, before.Value("cairn_live_streams"));
        Assert.Equal(1, open.Value("cairn_live_streams"));
        Assert.Equal(0, closed.Value("cairn_live_streams"));
    }

    [SkippableFact]
    public async Task A_completing_event_arrives_on_the_stream_as_a_cell_event()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");
        using var stream = await OpenAsync(d);

        await d.SendAsync("ada@school.example", 31, 29, minutesAgo: 5); // completes U1.C1
        var (id, cell) = await stream.NextCellAsync(c => c.GetProperty("pointId").GetString() == "U1.C1");

        using (cell)
        {
            Assert.Equal(ada, cell.RootElement.GetProperty("playerKey").GetString());
            Assert.Equal("green", cell.RootElement.GetProperty("status").GetString());
            Assert.True(long.TryParse(id, out _));
        }
    }

    [SkippableFact]
    public async Task Issue_10_cells_arrive_without_the_workers_poll_also_for_triggers_sent_back_to_back()
    {
        // A worker poll of a minute: within the bounded waits below, only the ingest commit's signal can have run the jobs.
        await using var d = await DashboardServer.StartAsync(StartServerAsync, new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "60000" });
        var keys = new Dictionary<string, string>();
        foreach (var (player, _) in DashboardServer.Students)
        {
            keys[await d.Server.PlayerKeyAsync(player)] = player;
        }
        using var stream = await OpenAsync(d);

        await d.SendAsync("ada@school.example", 31, 29, minutesAgo: 5); // completes U1.C1
        var (_, first) = await stream.NextCellAsync(c => c.GetProperty("pointId").GetString() == "U1.C1");
        await Task.WhenAll(d.SendAsync("ben@school.example", 31, 29, minutesAgo: 5), d.SendAsync("cleo@school.example", 31, 29, minutesAgo: 5));
        var arrived = new HashSet<string>();
        var (_, last) = await stream.NextCellAsync(c => arrived.Add(keys[c.GetProperty("playerKey").GetString()!]) && arrived.Count == 2);

        using (first)
        using (last)
        {
            Assert.Equal("ada@school.example", keys[first.RootElement.GetProperty("playerKey").GetString()!]);
            Assert.Equal(["ben@school.example", "cleo@school.example"], arrived.Order());
        }
    }

    [SkippableFact]
    public async Task Reconnecting_with_Last_Event_ID_replays_what_was_missed()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var ben = await d.Server.PlayerKeyAsync("ben@school.example");
        string lastId;
        using (var first = await OpenAsync(d))
        {
            await d.SendAsync("ben@school.example", 31, 29, minutesAgo: 9);
            // The matrix first: should this time out, its message tells a stalled job from a stream that missed a change.
            await d.WaitForCellAsync(ben, "U1.C1", "green");
            var (id, cell) = await first.NextCellAsync(c => c.GetProperty("pointId").GetString() == "U1.C1", seconds: 10);
            cell.Dispose();
            lastId = id!;
        }

        // Disconnected: two more cells change meanwhile.
        await d.SendAsync("ben@school.example", 30, 98, minutesAgo: 8);
        await d.SendAsync("ben@school.example", 23, 17, minutesAgo: 7);
        await d.WaitForCellAsync(ben, "U2.C4", "green");
        using var second = await OpenAsync(d, lastEventId: lastId);
        var (_, c2) = await second.NextCellAsync(c => c.GetProperty("pointId").GetString() == "U1.C2");
        var (_, c4) = await second.NextCellAsync(c => c.GetProperty("pointId").GetString() == "U2.C4");

        c2.Dispose();
        c4.Dispose();
    }

    [SkippableFact]
    public async Task A_stream_opened_with_the_matrix_cursor_sends_changes_made_after_the_matrix_was_read()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        using var matrix = await d.MatrixAsync();
        var cursor = matrix.RootElement.GetProperty("cursor").GetString();
        await d.SendAsync("cleo@school.example", 31, 29, minutesAgo: 3);
        var cleo = await d.Server.PlayerKeyAsync("cleo@school.example");
        await d.WaitForCellAsync(cleo, "U1.C1", "green");

        using var stream = await OpenAsync(d, since: cursor);
        var (_, cell) = await stream.NextCellAsync(c => c.GetProperty("playerKey").GetString() == cleo);

        using (cell)
        {
            Assert.Equal("U1.C1", cell.RootElement.GetProperty("pointId").GetString());
        }
    }

    [SkippableFact]
    public async Task A_stream_of_an_unknown_group_is_404()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);

        using var response = await d.Server.GetAsAdminAsync("/v1/groups/none/progress/stream");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [SkippableFact]
    public async Task Issue_7_an_open_stream_ends_when_its_token_is_revoked()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var (id, key) = await TeacherTokenAsync(d);
        using var stream = await OpenAsync(d.Server.Http, key);

        using var revoke = await d.Server.SendAsync(HttpMethod.Delete, $"/v1/admin/keys/{id}", TestServer.AdminToken, null);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.True(await stream.EndsAsync(), "the stream of a revoked token kept going");
    }

    [SkippableFact]
    public async Task Issue_7_an_open_stream_ends_when_its_teacher_is_removed_from_the_class()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var (_, key) = await TeacherTokenAsync(d);
        using var stream = await OpenAsync(d.Server.Http, key);

        var moved = JsonSerializer.Serialize(new { id = DashboardServer.GroupId, org = TestServer.Org, name = "Class 7B", game = DashboardServer.Game, teachers = new[] { "t-2" } });
        using var update = await d.Server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, moved);

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.True(await stream.EndsAsync(), "the stream of a teacher no longer in the class kept going");
    }

    [SkippableFact]
    public async Task Issue_7_an_open_stream_ends_when_its_browser_session_signs_out()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync);
        var (_, key) = await TeacherTokenAsync(d);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = d.Server.Http.BaseAddress };
        using (var form = await browser.GetAsync("/signin"))
        using (var signIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/groups", ["_csrf"] = await CsrfAsync(form), ["token"] = key,
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        using var page = await browser.GetAsync("/groups");
        var csrf = await CsrfAsync(page);
        using var stream = await OpenAsync(browser, token: null);

        using var signOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["_csrf"] = csrf }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.True(await stream.EndsAsync(), "the stream of a signed-out session kept going");
    }

    private static async Task<string> CsrfAsync(HttpResponseMessage page)
    {
        var match = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"_csrf\" value=\"([^\"]+)\"");
        Assert.True(match.Success, "the page has no _csrf field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [SkippableFact]
    public async Task Issue_7_a_token_holds_at_most_the_configured_number_of_streams()
    {
        await using var d = await DashboardServer.StartAsync(StartServerAsync, new Dictionary<string, string?> { ["Dashboard:MaxStreamsPerToken"] = "2" });
        var (_, key) = await TeacherTokenAsync(d);
        var (_, other) = await TeacherTokenAsync(d);
        var first = await OpenAsync(d.Server.Http, key);
        using var second = await OpenAsync(d.Server.Http, key);

        using var third = await RequestStreamAsync(d.Server.Http, key);
        using var ofAnotherToken = await OpenAsync(d.Server.Http, other);
        first.Dispose();
        var statusAfterClosing = HttpStatusCode.TooManyRequests;
        for (var i = 0; i < 100 && statusAfterClosing == HttpStatusCode.TooManyRequests; i++)
        {
            using var again = await RequestStreamAsync(d.Server.Http, key);
            statusAfterClosing = again.StatusCode;
            await Task.Delay(i == 0 ? 0 : 100);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("MaxStreamsPerToken", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, statusAfterClosing);
    }
}
