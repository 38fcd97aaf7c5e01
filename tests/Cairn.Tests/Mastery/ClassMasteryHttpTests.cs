using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Mastery;

/// <summary>
/// The class mastery matrix (dense read, ?since=, live stream) and the class member's timeline over HTTP, from LMS grades
/// through the server's own worker; a subclass per store says how to start the server.
/// </summary>
public abstract class ClassMasteryHttpTests : IAsyncLifetime
{
    private const string Game = "lms";
    private const string GroupId = "class-7b";
    private const double Prior = 0.3, Learn = 0.2, Guess = 0.25, Slip = 0.1;

    // A standard only the catalog names (no row yet) is a column too; a mastery section and a progress point with a named pattern.
    private static readonly string Catalog = """
        game: lms
        title: LMS
        points:
          - id: P1
            title: First quiz
            complete: { eventType: QuizDone, name: finished the first quiz }
        mastery:
          params: { prior: 0.3, learn: 0.2, guess: 0.25, slip: 0.1 }
          standards:
            NF.1: { name: "Add fractions" }
            NF.3: { name: "Compare fractions", threshold: 80 }
        """;

    private static readonly DateTimeOffset T0 = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private TestServer _server = null!;
    private string _key = null!;

    private protected abstract Task<TestServer> StartServerAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyDictionary<string, string>? catalogs = null);

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, new Dictionary<string, string> { ["lms.yaml"] = Catalog });
        _key = await _server.CreateIngestKeyAsync(TestServer.Org, Game);
        var group = JsonSerializer.Serialize(new { id = GroupId, org = TestServer.Org, name = "Class 7B", game = Game, teachers = new[] { "t-1" } });
        using (var created = await _server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, group))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var roster = JsonSerializer.Serialize(new[]
        {
            new { playerId = "stu-ben", displayName = "Ben Bauer" }, new { playerId = "stu-ada", displayName = "Ada Adams" },
            new { playerId = "stu-cleo", displayName = "Cleo Costa" },
        });
        using var members = await _server.SendAsync(HttpMethod.Put, $"/v1/groups/{GroupId}/members", TestServer.AdminToken, roster);
        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject Lms(string student, string id, int minute, string[] standards, double? score) => new()
    {
        ["event_id"] = id, ["source"] = "canvas",
        ["timestamp"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        // The outsider's LMS names another class: a class_id puts its student on that class's roster (issue #12).
        ["student_id"] = student, ["class_id"] = student == "stu-zed" ? "another-class" : GroupId, ["assignment_id"] = "asg-" + id,
        ["standard_ids"] = new JsonArray([.. standards.Select(s => (JsonNode)s)]),
        ["score"] = score is { } s ? s : null,
    };

    private async Task SendAsync(params JsonObject[] events)
    {
        foreach (var e in events.Where(e => e["score"] is null))
        {
            e.Remove("score");
        }
        using var response = await _server.PostEventsAsync(Events.Array(events), _key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.All(JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal("accepted", r.GetProperty("status").GetString()));
    }

    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK, string token = TestServer.AdminToken)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, path, token, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static JsonElement Cell(JsonElement matrix, string playerKey, string standardId)
    {
        var p = matrix.GetProperty("players").EnumerateArray().ToList().FindIndex(x => x.GetProperty("playerKey").GetString() == playerKey);
        var s = matrix.GetProperty("standards").EnumerateArray().ToList().FindIndex(x => x.GetProperty("id").GetString() == standardId);
        Assert.True(p >= 0 && s >= 0, $"no cell {playerKey} × {standardId}");
        return matrix.GetProperty("cells")[p][s];
    }

    /// <summary>Reads the class matrix until the condition holds (the worker runs in the background), for at most 30 s.</summary>
    private async Task<JsonElement> MatrixAsync(Func<JsonElement, bool> until)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var matrix = await GetAsync($"/v1/groups/{GroupId}/mastery");
            if (until(matrix))
            {
                return matrix;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the matrix never got there: {matrix}");
            await Task.Delay(50);
        }
    }

    private static bool Has(JsonElement matrix, string playerKey, string standardId, int observations) =>
        matrix.GetProperty("standards").EnumerateArray().Any(s => s.GetProperty("id").GetString() == standardId)
        && Cell(matrix, playerKey, standardId).GetProperty("observations").GetInt32() == observations;

    /// <summary>A string property, or null when the answer leaves it out (nulls are not written).</summary>
    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static double After(double p, bool correct)
    {
        var posterior = correct ? p * (1 - Slip) / (p * (1 - Slip) + (1 - p) * Guess) : p * Slip / (p * Slip + (1 - p) * (1 - Guess));
        return posterior + (1 - posterior) * Learn;
    }

    [SkippableFact]
    public async Task Issue_12_the_class_mastery_matrix_is_dense_students_by_standards_with_the_catalogs_names()
    {
        await SendAsync(
            Lms("stu-ada", "a-1", 10, ["NF.1"], 85), Lms("stu-ada", "a-2", 20, ["NF.1", "NF.2"], 95),
            Lms("stu-ben", "b-1", 10, ["NF.2"], 40),
            // Not in the class: neither the student nor a standard only they have shows.
            Lms("stu-zed", "z-1", 10, ["NF.9"], 99));
        var ada = await _server.PlayerKeyAsync("stu-ada");
        var ben = await _server.PlayerKeyAsync("stu-ben");
        var cleo = await _server.PlayerKeyAsync("stu-cleo");
        var zed = await _server.PlayerKeyAsync("stu-zed");
        await GetAsync($"/v1/players/{zed}/mastery"); // the outsider's row exists

        var matrix = await MatrixAsync(m => Has(m, ada, "NF.1", 2) && Has(m, ben, "NF.2", 1));

        Assert.Equal(["Ada Adams", "Ben Bauer", "Cleo Costa"], matrix.GetProperty("players").EnumerateArray().Select(p => p.GetProperty("displayName").GetString()));
        Assert.Equal([("NF.1", "Add fractions"), ("NF.2", null), ("NF.3", "Compare fractions")],
            matrix.GetProperty("standards").EnumerateArray().Select(s => (s.GetProperty("id").GetString(), Text(s, "name"))));
        Assert.Equal(3, matrix.GetProperty("cells").GetArrayLength());
        Assert.All(matrix.GetProperty("cells").EnumerateArray(), row => Assert.Equal(3, row.GetArrayLength()));
        var p = After(After(Prior, true), true);
        var adaNf1 = Cell(matrix, ada, "NF.1");
        Assert.Equal(p, adaNf1.GetProperty("pMastery").GetDouble(), 9);
        Assert.Equal(p >= 0.95 ? "mastered" : p >= 0.8 ? "proficient" : "familiar", adaNf1.GetProperty("level").GetString());
        Assert.Equal(T0.AddMinutes(20), adaNf1.GetProperty("lastAt").GetDateTimeOffset());
        var benNf2 = Cell(matrix, ben, "NF.2");
        Assert.Equal(After(Prior, false), benNf2.GetProperty("pMastery").GetDouble(), 9);
        Assert.Equal("attempted", benNf2.GetProperty("level").GetString());
        foreach (var standard in new[] { "NF.1", "NF.2", "NF.3" })
        {
            Assert.Equal("not started", Cell(matrix, cleo, standard).GetProperty("level").GetString());
            Assert.False(Cell(matrix, cleo, standard).TryGetProperty("pMastery", out _));
        }
        Assert.Equal("not started", Cell(matrix, ada, "NF.3").GetProperty("level").GetString());
        Assert.DoesNotContain(zed, matrix.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("NF.9", matrix.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("lms", matrix.GetProperty("group").GetProperty("game").GetString());
    }

    [SkippableFact]
    public async Task Issue_12_since_answers_only_the_class_cells_changed_after_the_cursor()
    {
        await SendAsync(Lms("stu-ada", "a-1", 10, ["NF.1"], 85));
        var ada = await _server.PlayerKeyAsync("stu-ada");
        var ben = await _server.PlayerKeyAsync("stu-ben");
        var before = await MatrixAsync(m => Has(m, ada, "NF.1", 1));
        var cursor = before.GetProperty("cursor").GetString()!;

        await SendAsync(Lms("stu-ben", "b-1", 11, ["NF.3"], 70), Lms("stu-zed", "z-1", 11, ["NF.1"], 10));
        await MatrixAsync(m => Has(m, ben, "NF.3", 1));
        var changes = await GetAsync($"/v1/groups/{GroupId}/mastery?since={Uri.EscapeDataString(cursor)}");

        var cell = Assert.Single(changes.GetProperty("cells").EnumerateArray());
        Assert.Equal((ben, "NF.3"), (cell.GetProperty("playerKey").GetString(), cell.GetProperty("standardId").GetString()));
        // 70 % is below NF.3's own threshold of 80 %: a wrong answer.
        Assert.Equal(After(Prior, false), cell.GetProperty("pMastery").GetDouble(), 9);
        Assert.Equal("attempted", cell.GetProperty("level").GetString());
        var next = changes.GetProperty("cursor").GetString()!;
        Assert.Empty((await GetAsync($"/v1/groups/{GroupId}/mastery?since={Uri.EscapeDataString(next)}")).GetProperty("cells").EnumerateArray());
        await GetAsync($"/v1/groups/{GroupId}/mastery?since=not-a-cursor", HttpStatusCode.BadRequest);
        await GetAsync($"/v1/groups/nope/mastery", HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Issue_12_a_recompute_that_comes_to_the_same_answer_is_no_change_in_the_log()
    {
        await SendAsync(Lms("stu-ada", "a-1", 10, ["NF.1"], 85));
        var ada = await _server.PlayerKeyAsync("stu-ada");
        await MatrixAsync(m => Has(m, ada, "NF.1", 1));
        // The cursor of a read that starts after Ada's change was committed: the read that first shows her row may have taken its
        // cursor just before the commit (the cursor is read before the rows, so a stream repeats a change rather than missing one).
        var cursor = (await MatrixAsync(m => Has(m, ada, "NF.1", 1))).GetProperty("cursor").GetString()!;
        var version = (await GetAsync($"/v1/players/{ada}/mastery")).GetProperty("standards")[0].GetProperty("parameterVersion").GetString();

        // A new threshold for NF.1 (75 %): the row is recomputed with the new version, and 85 % is still a correct answer.
        await File.WriteAllTextAsync(Path.Combine(_server.CatalogsDirectory, "lms.yaml"),
            Catalog.Replace("NF.1: { name: \"Add fractions\" }", "NF.1: { name: \"Add fractions\", threshold: 75 }", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        while ((await GetAsync($"/v1/players/{ada}/mastery")).GetProperty("standards")[0].GetProperty("parameterVersion").GetString() == version)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the row was never recomputed");
            await Task.Delay(50);
        }
        await SendAsync(Lms("stu-ben", "b-1", 11, ["NF.2"], 85));
        var ben = await _server.PlayerKeyAsync("stu-ben");
        await MatrixAsync(m => Has(m, ben, "NF.2", 1));

        var changes = await GetAsync($"/v1/groups/{GroupId}/mastery?since={Uri.EscapeDataString(cursor)}");

        var cell = Assert.Single(changes.GetProperty("cells").EnumerateArray());
        Assert.Equal((ben, "NF.2"), (cell.GetProperty("playerKey").GetString(), cell.GetProperty("standardId").GetString()));
    }

    [SkippableFact]
    public async Task Issue_12_the_mastery_stream_sends_changed_cells_and_resumes_from_Last_Event_ID()
    {
        var ada = await _server.PlayerKeyAsync("stu-ada");
        string firstId;
        using (var first = await OpenStreamAsync(TestServer.AdminToken))
        {
            await SendAsync(Lms("stu-ada", "a-1", 10, ["NF.1"], 85));
            var (id, cell) = await first.NextCellAsync(c => c.GetProperty("standardId").GetString() == "NF.1");
            Assert.Equal(ada, cell.GetProperty("playerKey").GetString());
            Assert.Equal(After(Prior, true), cell.GetProperty("pMastery").GetDouble(), 9);
            firstId = id!;
        }

        // Disconnected: two more cells change meanwhile; the reconnect with Last-Event-ID gets both, and not the first again.
        await SendAsync(Lms("stu-ada", "a-2", 20, ["NF.2"], 85), Lms("stu-cleo", "c-1", 21, ["NF.1"], 20));
        var cleo = await _server.PlayerKeyAsync("stu-cleo");
        await MatrixAsync(m => Has(m, ada, "NF.2", 1) && Has(m, cleo, "NF.1", 1));
        using var second = await OpenStreamAsync(TestServer.AdminToken, firstId);
        var seen = new Dictionary<(string?, string?), string?>();
        await second.NextCellAsync(c =>
        {
            seen[(c.GetProperty("playerKey").GetString(), c.GetProperty("standardId").GetString())] = c.GetProperty("level").GetString();
            return seen.Count == 2;
        });

        Assert.Equal([(cleo, "NF.1"), (ada, "NF.2")], seen.Keys.OrderBy(k => k.Item2, StringComparer.Ordinal));
        Assert.Equal("attempted", seen[(cleo, "NF.1")]);
    }

    [SkippableFact]
    public async Task Issue_12_a_mastery_stream_ends_when_its_teacher_leaves_the_class_and_is_404_outside_the_scope()
    {
        using var token = await _server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, role = "teacher", teachers = new[] { "t-1" } }));
        var teacher = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        using var other = await _server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, role = "teacher", teachers = new[] { "t-2" } }));
        var outsider = JsonDocument.Parse(await other.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        using var stream = await OpenStreamAsync(teacher);

        using (var refused = await SendStreamRequestAsync(outsider, null))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        var moved = JsonSerializer.Serialize(new { id = GroupId, org = TestServer.Org, name = "Class 7B", game = Game, teachers = new[] { "t-2" } });
        using var update = await _server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, moved);

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.True(await stream.EndsAsync(), "the stream of a teacher no longer in the class kept going");
    }

    [SkippableFact]
    public async Task Issue_12_the_timeline_of_a_class_member_is_newest_first_in_the_class_game_with_meaning_and_pages()
    {
        await SendAsync(Lms("stu-ada", "a-1", 10, ["NF.1"], 85), Lms("stu-ada", "a-2", 20, ["NF.1"], 95));
        using (var game = await _server.PostEventsAsync(Events.Array(
            new JsonObject { ["eventId"] = "q-1", ["eventType"] = "QuizDone", ["playerId"] = "stu-ada", ["game"] = Game,
                ["timestamp"] = T0.AddMinutes(30).ToString("O", CultureInfo.InvariantCulture), ["data"] = new JsonObject() }), _key))
        {
            Assert.Equal(HttpStatusCode.OK, game.StatusCode);
        }
        // The same student in another game: not in this class's timeline.
        var wavesKey = await _server.CreateIngestKeyAsync(TestServer.Org, "waves");
        using (var elsewhere = await _server.PostEventsAsync(Events.Array(
            new JsonObject { ["eventId"] = "w-1", ["eventType"] = "Other", ["playerId"] = "stu-ada", ["game"] = "waves",
                ["timestamp"] = T0.AddMinutes(40).ToString("O", CultureInfo.InvariantCulture), ["data"] = new JsonObject() }), wavesKey))
        {
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }
        var ada = await _server.PlayerKeyAsync("stu-ada");
        var zed = await _server.PlayerKeyAsync("stu-zed");

        var page = await GetAsync($"/v1/groups/{GroupId}/players/{ada}/timeline?limit=2");

        Assert.Equal("Ada Adams", page.GetProperty("displayName").GetString());
        var events = page.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["q-1", "a-2"], events.Select(e => e.GetProperty("eventId").GetString()));
        Assert.True(events[0].TryGetProperty("meaning", out var meaning), page.GetRawText());
        Assert.Equal(("P1", "First quiz", "completion", "finished the first quiz"), (meaning.GetProperty("pointId").GetString(),
            meaning.GetProperty("pointTitle").GetString(), meaning.GetProperty("role").GetString(), meaning.GetProperty("name").GetString()));
        Assert.False(events[1].TryGetProperty("meaning", out _));
        var rest = await GetAsync($"/v1/groups/{GroupId}/players/{ada}/timeline?limit=2&cursor={Uri.EscapeDataString(page.GetProperty("nextCursor").GetString()!)}");
        Assert.Equal(["a-1"], rest.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
        Assert.DoesNotContain("stu-ada", page.GetRawText(), StringComparison.Ordinal);

        // Not a member (though the player exists), not a key, bad paging, no such class.
        await GetAsync($"/v1/groups/{GroupId}/players/{zed}/timeline", HttpStatusCode.NotFound);
        await GetAsync($"/v1/groups/{GroupId}/players/stu-ada/timeline", HttpStatusCode.BadRequest);
        await GetAsync($"/v1/groups/{GroupId}/players/{ada}/timeline?limit=0", HttpStatusCode.BadRequest);
        await GetAsync($"/v1/groups/{GroupId}/players/{ada}/timeline?cursor=%%%", HttpStatusCode.BadRequest);
        await GetAsync($"/v1/groups/nope/players/{ada}/timeline", HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> SendStreamRequestAsync(string token, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/groups/{GroupId}/mastery/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        return await _server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private async Task<SseReader> OpenStreamAsync(string token, string? lastEventId = null)
    {
        var response = await SendStreamRequestAsync(token, lastEventId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response);
    }

    /// <summary>Reads SSE events until one is wanted, or time runs out (30 s: the CI machine is slow).</summary>
    private sealed class SseReader(HttpResponseMessage response) : IDisposable
    {
        private readonly StreamReader _reader = new(response.Content.ReadAsStream());

        public async Task<(string? Id, JsonElement Data)> NextCellAsync(Func<JsonElement, bool> wanted, double seconds = 30)
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
                        var cell = JsonDocument.Parse(data).RootElement.Clone();
                        if (wanted(cell))
                        {
                            return (id, cell);
                        }
                    }
                    id = type = data = null;
                    continue;
                }
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
        }

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
}
