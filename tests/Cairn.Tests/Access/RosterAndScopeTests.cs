using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

/// <summary>
/// Rosters, classes and what they open, over real HTTP on each store: a teacher-admin's roster is no way into another
/// class's student, a teacher reads a student only in their classes' games, group ids are per org, and a child without
/// parental consent has no name (nor raw id) in the matrix. A subclass per store says how to start the server.
/// </summary>
public abstract partial class RosterAndScopeTests
{
    private const string OrgA = TestServer.Org;
    private const string OrgB = "org-b";

    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    private async Task<TestServer> StartAsync()
    {
        var root = SharedData.RepositoryRoot();
        return await StartServerAsync(catalogs: new Dictionary<string, string>
        {
            ["mhs.yaml"] = await File.ReadAllTextAsync(Path.Combine(root, "catalogs", "mhs.yaml")),
            ["waves.yaml"] = await File.ReadAllTextAsync(Path.Combine(root, "catalogs", "waves.yaml")),
        });
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestServer server, HttpMethod method, string path, string token, object? body = null)
    {
        using var response = await server.SendAsync(method, path, token, body is null ? null : JsonSerializer.Serialize(body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ExpectAsync(TestServer server, HttpStatusCode expected, HttpMethod method, string path, string token, object? body = null)
    {
        var (status, text) = await SendAsync(server, method, path, token, body);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {text}");
        return text;
    }

    private static async Task<string> TokenAsync(TestServer server, object request)
    {
        using var body = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.Created, HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken, request));
        return body.RootElement.GetProperty("key").GetString()!;
    }

    private static Task CreateGroupAsync(TestServer server, string id, string org, string game, string teacher, string token = TestServer.AdminToken) =>
        ExpectAsync(server, HttpStatusCode.Created, HttpMethod.Post, "/v1/groups", token, new { id, org, name = "Class " + id, game, teachers = new[] { teacher } });

    private static async Task<JsonElement> ConsentOfAsync(TestServer server, string org, string playerId)
    {
        // A consent request that changes nothing answers the recorded flags.
        using var body = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/players/consent", TestServer.AdminToken, new { org, playerId }));
        return body.RootElement.Clone();
    }

    private static async Task PostAsync(TestServer server, string ingestKey, object e)
    {
        using var response = await server.PostEventsAsync(JsonSerializer.Serialize(e), ingestKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && text.Contains("\"accepted\":1", StringComparison.Ordinal), text);
    }

    private static async Task WaitForAdminAsync(TestServer server, string path, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if ((await SendAsync(server, HttpMethod.Get, path, TestServer.AdminToken)).Body.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"{path} never held {expected}");
    }

    [SkippableFact]
    public async Task Issue_7_a_teacher_admin_cannot_roster_a_student_of_another_teachers_class_nor_change_their_record()
    {
        await using var server = await StartAsync();
        var orgAdmin = await TokenAsync(server, new { org = OrgA, role = "org-admin" });
        var teacherAdmin = await TokenAsync(server, new { org = OrgA, role = "teacher-admin", teachers = new[] { "ta" } });
        await CreateGroupAsync(server, "7a", OrgA, "mhs", "t-2", orgAdmin);
        await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/groups/7a/members", orgAdmin,
            new[] { new { playerId = "alice@a.example", displayName = "Alice Adams" } });
        await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/players/consent", orgAdmin,
            new { playerId = "alice@a.example", consent = "opted-out", under13 = true, parentalConsent = true });
        var alice = await server.PlayerKeyAsync("alice@a.example");
        await CreateGroupAsync(server, "mine", OrgA, "mhs", "ta", teacherAdmin);

        var (status, body) = await SendAsync(server, HttpMethod.Put, "/v1/groups/mine/members", teacherAdmin,
            new[] { new { playerId = "alice@a.example", displayName = "Hacked", consent = "granted", under13 = false, parentalConsent = false } });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Member 0", body, StringComparison.Ordinal);
        var consent = await ConsentOfAsync(server, OrgA, "alice@a.example");
        Assert.Equal(("opted-out", true, true),
            (consent.GetProperty("consent").GetString(), consent.GetProperty("under13").GetBoolean(), consent.GetProperty("parentalConsent").GetBoolean()));
        Assert.Contains("Alice Adams", await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/groups/7a/members", TestServer.AdminToken), StringComparison.Ordinal);
        Assert.Equal("[]", JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/groups/mine/members", teacherAdmin))
            .RootElement.GetProperty("members").GetRawText());
        await ExpectAsync(server, HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/players/{alice}/events", teacherAdmin);
    }

    [SkippableFact]
    public async Task Issue_7_a_teacher_admins_roster_keeps_consent_flags_and_org_admin_names_and_every_roster_change_is_audited()
    {
        await using var server = await StartAsync();
        var orgAdmin = await TokenAsync(server, new { org = OrgA, role = "org-admin" });
        var teacherAdmin = await TokenAsync(server, new { org = OrgA, role = "teacher-admin", teachers = new[] { "ta" } });
        await CreateGroupAsync(server, "c1", OrgA, "mhs", "ta", orgAdmin);
        await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/groups/c1/members", orgAdmin, new object[]
        {
            new { playerId = "bob@a.example", displayName = "Bob (office)", consent = "opted-out", under13 = false, parentalConsent = false },
            new { playerId = "kid@a.example", displayName = "Kid", consent = "granted", under13 = true, parentalConsent = false },
            new { playerId = "carl@a.example", displayName = "Carl" },
        });
        var (bob, kid, carl) = (await server.PlayerKeyAsync("bob@a.example"), await server.PlayerKeyAsync("kid@a.example"), await server.PlayerKeyAsync("carl@a.example"));

        var body = await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/groups/c1/members", teacherAdmin, new object[]
        {
            new { playerId = "bob@a.example", displayName = "Bobby", consent = "granted" },
            new { playerId = "kid@a.example", displayName = "Kid Named", under13 = false, parentalConsent = true },
            new { playerId = "new@a.example", displayName = "Nina New", under13 = true, parentalConsent = true },
        });
        var nina = await server.PlayerKeyAsync("new@a.example");

        using var answer = JsonDocument.Parse(body);
        var notes = answer.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("Member 0:", notes[0], StringComparison.Ordinal);
        Assert.StartsWith("Member 1:", notes[1], StringComparison.Ordinal);
        Assert.Equal("opted-out", (await ConsentOfAsync(server, OrgA, "bob@a.example")).GetProperty("consent").GetString());
        var kidConsent = await ConsentOfAsync(server, OrgA, "kid@a.example");
        Assert.Equal((true, false), (kidConsent.GetProperty("under13").GetBoolean(), kidConsent.GetProperty("parentalConsent").GetBoolean()));
        Assert.True((await ConsentOfAsync(server, OrgA, "new@a.example")).GetProperty("under13").GetBoolean());
        var names = answer.RootElement.GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("playerKey").GetString()!, m => m.TryGetProperty("displayName", out var n) ? n.GetString() : null);
        Assert.Equal("Bob (office)", names[bob]);
        Assert.Null(names[kid]);
        Assert.Equal("Nina New", names[nina]);
        using var audit = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/admin/audit", TestServer.AdminToken));
        var rosters = audit.RootElement.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("action").GetString() == "roster.replace").ToList();
        Assert.Equal(2, rosters.Count);
        var last = rosters[0].GetProperty("detail").GetString()!;
        Assert.Contains($"added [{nina}]", last, StringComparison.Ordinal);
        Assert.Contains($"removed [{carl}]", last, StringComparison.Ordinal);
        Assert.Contains("teacher-admin", rosters[0].GetProperty("scope").GetString(), StringComparison.Ordinal);
        Assert.Contains(bob, rosters[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(rosters[0].GetProperty("actor").GetString(), rosters[1].GetProperty("actor").GetString());
        Assert.DoesNotContain("@a.example", audit.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Issue_7_a_teacher_reads_a_students_events_progress_and_exports_only_in_the_games_of_their_classes()
    {
        await using var server = await StartAsync();
        var mhsKey = await server.CreateIngestKeyAsync(OrgA, "mhs");
        var wavesKey = await server.CreateIngestKeyAsync(OrgA, "waves");
        await CreateGroupAsync(server, "7a", OrgA, "mhs", "t-1");
        await CreateGroupAsync(server, "w1", OrgA, "waves", "t-2");
        foreach (var group in new[] { "7a", "w1" })
        {
            await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, $"/v1/groups/{group}/members", TestServer.AdminToken,
                new[] { new { playerId = "alice@a.example", displayName = "Alice" } });
        }
        var now = DateTimeOffset.UtcNow;
        await PostAsync(server, mhsKey, new { eventId = "m-1", eventType = "DialogueEvent", timestamp = now.AddMinutes(-3).ToString("O"), playerId = "alice@a.example", data = new { conversationId = 31, nodeId = 29 } });
        await PostAsync(server, wavesKey, new { eventId = "w-1", eventType = "BEGIN.0", timestamp = now.AddMinutes(-2).ToString("O"), playerId = "alice@a.example", data = new { level = 0 } });
        await PostAsync(server, wavesKey, new { eventId = "w-2", eventType = "COMPLETE.0", timestamp = now.AddMinutes(-1).ToString("O"), playerId = "alice@a.example", data = new { level = 0 } });
        var alice = await server.PlayerKeyAsync("alice@a.example");
        await WaitForAdminAsync(server, $"/v1/players/{alice}/progress", "U1.C1");
        await WaitForAdminAsync(server, $"/v1/players/{alice}/progress", "level-00");
        var t1 = await TokenAsync(server, new { org = OrgA, role = "teacher", teachers = new[] { "t-1" } });
        var t1Admin = await TokenAsync(server, new { org = OrgA, role = "teacher-admin", teachers = new[] { "t-1" } });
        var orgAdmin = await TokenAsync(server, new { org = OrgA, role = "org-admin" });

        foreach (var teacher in new[] { t1, t1Admin })
        {
            using var events = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, $"/v1/players/{alice}/events", teacher));
            using var progress = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, $"/v1/players/{alice}/progress", teacher));
            using var wavesOnly = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, $"/v1/players/{alice}/progress?game=waves", teacher));
            using var exported = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/export/events?format=json", teacher));
            using var exportedProgress = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/export/progress?format=json", teacher));

            Assert.Equal(["m-1"], events.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
            Assert.Equal(["U1.C1"], progress.RootElement.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("pointId").GetString()));
            Assert.Empty(wavesOnly.RootElement.GetProperty("points").EnumerateArray());
            Assert.Equal(["mhs"], exported.RootElement.EnumerateArray().Select(e => e.GetProperty("game").GetString()).Distinct());
            Assert.Equal(["mhs"], exportedProgress.RootElement.EnumerateArray().Select(e => e.GetProperty("game").GetString()).Distinct());
        }
        using var all = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, $"/v1/players/{alice}/events", orgAdmin));
        Assert.Equal(["m-1", "w-1", "w-2"], all.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Issue_7_group_ids_are_per_org_and_another_orgs_id_is_simply_unknown()
    {
        await using var server = await StartAsync();
        var orgAdminA = await TokenAsync(server, new { org = OrgA, role = "org-admin" });
        var teacherAdminA = await TokenAsync(server, new { org = OrgA, role = "teacher-admin", teachers = new[] { "ta" } });
        await CreateGroupAsync(server, "7a", OrgB, "mhs", "tb");
        await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/groups/7a/members?org=" + OrgB, TestServer.AdminToken,
            new[] { new { playerId = "zed@b.example", displayName = "Zed Zorn" } });

        // Another org's ids: the same answer for a taken id as for an unused one.
        foreach (var token in new[] { orgAdminA, teacherAdminA })
        {
            var taken = await SendAsync(server, HttpMethod.Post, "/v1/groups", token, new { id = "7a", org = OrgB, game = "mhs", teachers = new[] { "ta" } });
            var unused = await SendAsync(server, HttpMethod.Post, "/v1/groups", token, new { id = "unused", org = OrgB, game = "mhs", teachers = new[] { "ta" } });
            Assert.Equal(HttpStatusCode.Forbidden, taken.Status);
            Assert.Equal(unused.Status, taken.Status);
            Assert.Equal(DetailOf(unused.Body), DetailOf(taken.Body));
        }
        // In its own org, the id is free.
        await CreateGroupAsync(server, "7a", OrgA, "mhs", "ta", teacherAdminA);
        await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/groups/7a/members", teacherAdminA,
            new[] { new { playerId = "ada@a.example", displayName = "Ada Adams" } });

        var own = await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/groups/7a/members", orgAdminA);
        await ExpectAsync(server, HttpStatusCode.NotFound, HttpMethod.Get, "/v1/groups/7a?org=" + OrgB, orgAdminA);
        await ExpectAsync(server, HttpStatusCode.NotFound, HttpMethod.Get, "/v1/groups/7a/progress?org=" + OrgB, orgAdminA);
        var ambiguous = await ExpectAsync(server, HttpStatusCode.BadRequest, HttpMethod.Get, "/v1/groups/7a", TestServer.AdminToken);
        var matrixB = await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/groups/7a/progress?org=" + OrgB, TestServer.AdminToken);
        var exportB = await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, $"/v1/export/progress?format=json&group=7a&org={OrgB}&names=true", TestServer.AdminToken);
        await ExpectAsync(server, HttpStatusCode.BadRequest, HttpMethod.Get, "/v1/groups/7a/progress", TestServer.AdminToken);
        await ExpectAsync(server, HttpStatusCode.BadRequest, HttpMethod.Get, "/v1/export/events?format=json&group=7a", TestServer.AdminToken);

        Assert.Contains("Ada Adams", own, StringComparison.Ordinal);
        Assert.DoesNotContain("Zed", own, StringComparison.Ordinal);
        Assert.Contains("?org=", ambiguous, StringComparison.Ordinal);
        Assert.Contains("Zed Zorn", matrixB, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", matrixB, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@a.example", exportB, StringComparison.Ordinal);
        using var list = JsonDocument.Parse(await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/groups", TestServer.AdminToken));
        Assert.Equal([OrgB, OrgA], list.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("org").GetString()).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Issue_7_a_child_without_parental_consent_is_a_neutral_stable_label_in_the_matrix_drill_down_page_and_stream()
    {
        await using var server = await StartAsync();
        var mhsKey = await server.CreateIngestKeyAsync(OrgA, "mhs");
        var teacher = await TokenAsync(server, new { org = OrgA, role = "teacher", teachers = new[] { "t-1" } });
        await CreateGroupAsync(server, "7a", OrgA, "mhs", "t-1");
        await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/groups/7a/members", TestServer.AdminToken, new object[]
        {
            new { playerId = "ada@a.example", displayName = "Ada Adams" },
            new { playerId = "kid.k@a.example", displayName = "Kid Young", under13 = true, parentalConsent = false },
            new { playerId = "ben@a.example", displayName = "Ben Bauer" },
        });
        var kid = await server.PlayerKeyAsync("kid.k@a.example");
        // A newcomer sorting first does not renumber the child.
        await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Put, "/v1/groups/7a/members", TestServer.AdminToken, new object[]
        {
            new { playerId = "aaron@a.example", displayName = "Aaron Aal" },
            new { playerId = "ada@a.example", displayName = "Ada Adams" },
            new { playerId = "kid.k@a.example" },
            new { playerId = "ben@a.example", displayName = "Ben Bauer" },
        });

        using var stream = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/groups/7a/progress/stream")
        {
            Headers = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", teacher) },
        }, HttpCompletionOption.ResponseHeadersRead);
        await PostAsync(server, mhsKey, new { eventId = "k-1", eventType = "DialogueEvent", timestamp = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), playerId = "kid.k@a.example", data = new { conversationId = 31, nodeId = 29 } });
        var streamed = await ReadStreamUntilAsync(stream, "event: cell");
        var matrix = await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, "/v1/groups/7a/progress", teacher);
        var drill = await ExpectAsync(server, HttpStatusCode.OK, HttpMethod.Get, $"/v1/groups/7a/players/{kid}/points/U1.C1", teacher);
        var page = await PageAsync(server, teacher, "/groups/7a");
        var drillPage = await PageAsync(server, teacher, $"/groups/7a/players/{kid}/points/U1.C1");

        using var parsed = JsonDocument.Parse(matrix);
        var labels = parsed.RootElement.GetProperty("players").EnumerateArray()
            .ToDictionary(p => p.GetProperty("playerKey").GetString()!, p => p.GetProperty("displayName").GetString());
        Assert.Equal("Student 2", labels[kid]);
        Assert.Equal("Student 2", JsonDocument.Parse(drill).RootElement.GetProperty("displayName").GetString());
        Assert.Contains("Student 2", page, StringComparison.Ordinal);
        Assert.Contains("Student 2", drillPage, StringComparison.Ordinal);
        Assert.Contains(kid, streamed, StringComparison.Ordinal);
        foreach (var text in new[] { matrix, drill, page, drillPage, streamed })
        {
            Assert.DoesNotContain("kid.k", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Kid Young", text, StringComparison.Ordinal);
        }
    }

    private static string? DetailOf(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString();

    private static async Task<string> ReadStreamUntilAsync(HttpResponseMessage response, string marker)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var text = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal) || !text.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the stream ended");
            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    /// <summary>Signs in with the token in a cookie jar, as a browser would, and answers the page's HTML.</summary>
    private static async Task<string> PageAsync(TestServer server, string token, string path)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };
        using (var form = await http.GetAsync("/signin"))
        {
            var csrf = WebUtility.HtmlDecode(CsrfField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
            using var signedIn = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["returnUrl"] = "/groups", ["_csrf"] = csrf, ["token"] = token,
            }));
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        using var page = await http.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {(int)page.StatusCode} {html}");
        return html;
    }
}
