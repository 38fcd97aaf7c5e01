using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Cairn.Tests.Dashboard;

/// <summary>
/// Issue #12 (and the page item of #13) in a real browser: the class mastery heat map, the student's mastery curves and
/// game state on /me, and the student's state in the teacher's drill-down (screenshots under TestResults/artifacts).
/// </summary>
public sealed class Issue12MasteryPageTests
{
    private const string Game = "lms";
    private const string GroupId = "class-7b";
    private const double Prior = 0.3, Learn = 0.2, Guess = 0.25, Slip = 0.1;

    private static readonly string Catalog = """
        game: lms
        title: Fractions Quest
        eventTypes:
          item_collected:
            data: { contentId: string }
          location_reached:
            data: { contentId: string }
        points:
          - id: P1
            title: First quiz
            complete: { eventType: QuizDone, name: finished the first quiz }
        state:
          rules:
            - on: { name: picked up an item, eventType: item_collected }
              addItem: { field: contentId }
            - on: { name: reached a place, eventType: location_reached }
              location: { field: contentId }
        achievements:
          - id: first_item
            title: Collector
            description: Picked up a first item.
            on: { eventType: item_collected }
        mastery:
          params: { prior: 0.3, learn: 0.2, guess: 0.25, slip: 0.1 }
          standards:
            NF.1: { name: "Add fractions" }
            NF.2: { name: "Compare fractions" }
        """;

    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-3);

    private static double After(double p, bool correct)
    {
        var posterior = correct ? p * (1 - Slip) / (p * (1 - Slip) + (1 - p) * Guess) : p * Slip / (p * Slip + (1 - p) * (1 - Guess));
        return posterior + (1 - posterior) * Learn;
    }

    private static string LevelOf(double p) => p >= 0.95 ? "mastered" : p >= 0.8 ? "proficient" : p >= 0.5 ? "familiar" : "attempted";

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, double seconds = 30)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if (probe() is { } value)
                {
                    return value;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The page replaced the element between finding and reading it: look again.
            }
            catch (NoSuchElementException)
            {
                // Not there yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds} s waiting for {what}");
            }
            await Task.Delay(100);
        }
    }

    private static object? Js(ChromeDriver browser, string script, params object[] args) => ((IJavaScriptExecutor)browser).ExecuteScript(script, args);

    private static void Screenshot(ChromeDriver browser, string name) => browser.GetScreenshot().SaveAsFile(Chromium.ArtifactPath(name));

    private static async Task SignInAsync(ChromeDriver browser, string url, string token, string waitFor)
    {
        browser.Navigate().GoToUrl(url);
        browser.FindElement(By.Name("token")).SendKeys(token);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        await WaitForAsync(() => browser.FindElements(By.CssSelector(waitFor)).FirstOrDefault(), waitFor);
    }

    /// <summary>A server with the catalog above and Class 7B (Ada, Ben, Cleo), and an ingest key for the game.</summary>
    private static async Task<(TestServer Server, string Key)> StartAsync()
    {
        var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, new Dictionary<string, string> { ["lms.yaml"] = Catalog });
        var key = await server.CreateIngestKeyAsync(TestServer.Org, Game);
        var group = JsonSerializer.Serialize(new { id = GroupId, org = TestServer.Org, name = "Class 7B", game = Game, teachers = new[] { "t-1" } });
        using (var created = await server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken, group))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var roster = JsonSerializer.Serialize(new[]
        {
            new { playerId = "stu-ada", displayName = "Ada Adams" }, new { playerId = "stu-ben", displayName = "Ben Bauer" },
            new { playerId = "stu-cleo", displayName = "Cleo Costa" },
        });
        using var members = await server.SendAsync(HttpMethod.Put, $"/v1/groups/{GroupId}/members", TestServer.AdminToken, roster);
        Assert.Equal(HttpStatusCode.OK, members.StatusCode);
        return (server, key);
    }

    private static JsonObject Graded(string student, string id, int minute, string standard, double score) => new()
    {
        ["event_id"] = id, ["source"] = "canvas", ["timestamp"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["student_id"] = student, ["class_id"] = GroupId, ["assignment_id"] = "asg-" + id, ["standard_ids"] = new JsonArray(standard), ["score"] = score,
    };

    private static JsonObject GameEvent(string student, string id, int minute, string type, string contentId) => new()
    {
        ["eventId"] = id, ["eventType"] = type, ["playerId"] = student, ["game"] = Game,
        ["timestamp"] = T0.AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ["data"] = new JsonObject { ["contentId"] = contentId },
    };

    private static async Task SendAsync(TestServer server, string key, params JsonObject[] events)
    {
        using var response = await server.PostEventsAsync(Events.Array(events), key);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the player's mastery has the number of answers of a standard (the worker runs in the background).</summary>
    private static async Task WaitForMasteryAsync(TestServer server, string playerKey, string standard, int observations)
    {
        await WaitForAsync(() =>
        {
            using var response = server.GetAsAdminAsync($"/v1/players/{playerKey}/mastery").GetAwaiter().GetResult();
            using var body = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            return body.RootElement.GetProperty("standards").EnumerateArray()
                .Any(s => s.GetProperty("standardId").GetString() == standard && s.GetProperty("observations").GetInt32() == observations) ? "" : null;
        }, $"{observations} answers of {standard}");
    }

    [SkippableFact]
    public async Task Issue_12_the_class_heat_map_shows_levels_by_colour_and_symbol_sorts_and_updates_live()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        browser.ExecuteCdpCommand("Emulation.setTimezoneOverride", new Dictionary<string, object?> { ["timezoneId"] = "Pacific/Auckland" });
        var (server, key) = await StartAsync();
        await using var _ = server;
        await SendAsync(server, key, Graded("stu-ada", "a-1", 1, "NF.1", 90), Graded("stu-ada", "a-2", 2, "NF.1", 95),
            Graded("stu-ben", "b-1", 1, "NF.1", 30), Graded("stu-ben", "b-2", 2, "NF.2", 100));
        var ada = await server.PlayerKeyAsync("stu-ada");
        var ben = await server.PlayerKeyAsync("stu-ben");
        var cleo = await server.PlayerKeyAsync("stu-cleo");
        await WaitForMasteryAsync(server, ada, "NF.1", 2);
        await WaitForMasteryAsync(server, ben, "NF.2", 1);
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');

        await SignInAsync(browser, $"{baseUrl}/groups/{GroupId}", TestServer.AdminToken, "#mastery-link");
        browser.FindElement(By.Id("mastery-link")).Click();
        await WaitForAsync(() => browser.FindElements(By.CssSelector("table.mastery")).FirstOrDefault(), "the heat map");

        // No playerKey in the page's URL; standards are columns with their names (and ids); the header stays in view.
        Assert.DoesNotContain("p1_", browser.Url, StringComparison.Ordinal);
        Assert.Equal(["Add fractions", "Compare fractions"], browser.FindElements(By.CssSelector("th.standard .ptitle")).Select(e => e.Text));
        Assert.Equal(["NF.1", "NF.2"], browser.FindElements(By.CssSelector("th.standard .pcode")).Select(e => e.Text));
        Assert.Equal("sticky", Js(browser, "return getComputedStyle(document.querySelector('table.mastery thead')).position;"));
        IWebElement Cell(string player, string standard) => browser.FindElement(By.CssSelector($"td.cell[data-player='{player}'][data-standard='{standard}']"));
        var expected = new[]
        {
            (ada, "NF.1", LevelOf(After(After(Prior, true), true))), (ben, "NF.1", LevelOf(After(Prior, false))),
            (ben, "NF.2", LevelOf(After(Prior, true))), (cleo, "NF.1", "not started"), (ada, "NF.2", "not started"),
        };
        var legend = browser.FindElements(By.CssSelector("#mastery-legend [data-level]"))
            .ToDictionary(e => e.GetAttribute("data-level")!, e => (Symbol: e.FindElement(By.CssSelector(".cell")).Text, Colour: Js(browser, "return getComputedStyle(arguments[0]).backgroundColor;", e.FindElement(By.CssSelector(".cell")))));
        Assert.Equal(["not started", "attempted", "familiar", "proficient", "mastered"], legend.Keys);
        Assert.Equal(5, legend.Values.Select(v => v.Symbol).Distinct().Count());
        Assert.Equal(5, legend.Values.Select(v => v.Colour).Distinct().Count());
        foreach (var (player, standard, level) in expected)
        {
            var td = Cell(player, standard);
            Assert.Equal(level, td.GetAttribute("data-level"));
            Assert.Equal(legend[level].Symbol, td.Text);
            Assert.Equal(legend[level].Colour, Js(browser, "return getComputedStyle(arguments[0]).backgroundColor;", td));
        }
        // The tooltip gives the answer's time in the viewer's zone, and UTC.
        var last = T0.AddMinutes(2);
        var auckland = TimeZoneInfo.ConvertTime(last, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"));
        var tooltip = await WaitForAsync(() => Cell(ada, "NF.1").GetAttribute("title") is { } t && t.Contains("(", StringComparison.Ordinal) ? t : null, "the local tooltip");
        // The browser's locale decides between a 24-hour and a 12-hour clock.
        Assert.True(new[] { "HH:mm:ss", "hh:mm:ss", "h:mm:ss" }.Any(f => tooltip.Contains(auckland.ToString(f, CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            $"'{tooltip}' shows {auckland:HH:mm:ss} in Auckland");
        Assert.Contains(last.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC", tooltip, StringComparison.Ordinal);
        Assert.Contains("2 answers", tooltip, StringComparison.Ordinal);
        Screenshot(browser, "issue12-mastery-heat-map.png");

        // Sorted by student name, by a standard (most mastery first, a student without answers last), by clicking a standard.
        string[] Rows() => [.. browser.FindElements(By.CssSelector("table.mastery tbody th.student")).Select(e => e.Text)];
        Assert.Equal(["Ada Adams", "Ben Bauer", "Cleo Costa"], Rows());
        browser.FindElement(By.Id("sort")).Click();
        browser.FindElement(By.CssSelector("#sort option[value='std:NF.2']")).Click();
        Assert.Equal(["Ben Bauer", "Ada Adams", "Cleo Costa"], Rows());
        Assert.DoesNotContain("p1_", browser.Url, StringComparison.Ordinal);
        browser.FindElement(By.CssSelector("th.standard[data-standard='NF.1']")).Click();
        Assert.Equal(["Ada Adams", "Ben Bauer", "Cleo Costa"], Rows());

        // Live: Cleo's answer arrives on the open page, without a reload.
        Js(browser, "window.__same_page = true;");
        await SendAsync(server, key, Graded("stu-cleo", "c-1", 3, "NF.1", 100));
        await WaitForAsync(() => Cell(cleo, "NF.1").GetAttribute("data-level") == LevelOf(After(Prior, true)) ? "" : null, "Cleo's cell to change");
        Assert.Equal(true, Js(browser, "return window.__same_page === true;"));
        Assert.Equal(legend[LevelOf(After(Prior, true))].Symbol, Cell(cleo, "NF.1").Text);
        Assert.Equal(["Ada Adams", "Cleo Costa", "Ben Bauer"], Rows());
    }

    [SkippableFact]
    public async Task Issue_12_and_13_the_student_page_shows_mastery_curves_and_the_game_state_with_achievements()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        var (server, key) = await StartAsync();
        await using var _ = server;
        await SendAsync(server, key, Graded("stu-ada", "a-1", 1, "NF.1", 40), Graded("stu-ada", "a-2", 30, "NF.1", 90), Graded("stu-ada", "a-3", 60, "NF.1", 95),
            Graded("stu-ada", "a-4", 5, "NF.7", 80),
            GameEvent("stu-ada", "g-1", 10, "item_collected", "lantern"), GameEvent("stu-ada", "g-2", 11, "location_reached", "old_bridge"));
        var ada = await server.PlayerKeyAsync("stu-ada");
        await WaitForMasteryAsync(server, ada, "NF.1", 3);
        await WaitForMasteryAsync(server, ada, "NF.7", 1);
        await WaitForAsync(() =>
        {
            using var response = server.GetAsAdminAsync($"/v1/players/{ada}/profile").GetAwaiter().GetResult();
            return response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Contains("first_item", StringComparison.Ordinal) ? "" : null;
        }, "the achievement");
        using var created = await server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, role = "student", playerId = "stu-ada" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var token = await TestServer.ReadJsonAsync(created);
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');

        await SignInAsync(browser, $"{baseUrl}/signin", token.RootElement.GetProperty("key").GetString()!, "table.mastery-mine");

        var row = browser.FindElement(By.CssSelector("table.mastery-mine tr[data-standard='NF.1']"));
        Assert.StartsWith("Add fractions", row.FindElement(By.CssSelector("td")).Text, StringComparison.Ordinal);
        var p = After(After(After(Prior, false), true), true);
        Assert.Contains(LevelOf(p), row.FindElement(By.CssSelector("td.status")).Text, StringComparison.Ordinal);
        Assert.Contains("3 answers", row.Text, StringComparison.Ordinal);
        // The curve: one point per answer, x by time (the answers at 1, 30 and 60 minutes), y up with pMasteryAfter.
        var points = row.FindElement(By.CssSelector("svg.curve polyline")).GetAttribute("points")!.Split(' ')
            .Select(xy => xy.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(3, points.Count);
        double[] after = [After(Prior, false), After(After(Prior, false), true), p];
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(3 + (1 - after[i]) * 26, points[i][1], 1);
        }
        Assert.Equal(3 + 29.0 / 59 * 114, points[1][0], 1);
        Assert.Contains(after[0].ToString("P0", CultureInfo.InvariantCulture), row.FindElement(By.CssSelector("svg.curve title")).GetAttribute("textContent"), StringComparison.Ordinal);
        // A single answer is a dot, no line; a standard without a name shows its id.
        var single = browser.FindElement(By.CssSelector("table.mastery-mine tr[data-standard='NF.7']"));
        Assert.Empty(single.FindElements(By.CssSelector("svg.curve polyline")));
        Assert.Single(single.FindElements(By.CssSelector("svg.curve circle")));
        Assert.StartsWith("NF.7", single.FindElement(By.CssSelector("td")).Text, StringComparison.Ordinal);

        var state = browser.FindElement(By.CssSelector(".player-state[data-game='lms']"));
        Assert.Contains("Fractions Quest", state.FindElement(By.TagName("h2")).Text, StringComparison.Ordinal);
        Assert.Equal("lantern", state.FindElement(By.CssSelector("dd.inventory")).Text);
        Assert.Equal("old_bridge", state.FindElement(By.CssSelector("dd.location")).Text);
        Assert.Contains("Collector", state.FindElement(By.CssSelector("li[data-achievement='first_item']")).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("p1_", browser.Url, StringComparison.Ordinal);
        Screenshot(browser, "issue12-student-mastery.png");
    }

    [SkippableFact]
    public async Task Issue_13_the_teachers_drill_down_shows_the_students_state_and_achievements_in_the_class_game()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        var (server, key) = await StartAsync();
        await using var _ = server;
        await SendAsync(server, key, GameEvent("stu-ben", "g-1", 10, "item_collected", "compass"), GameEvent("stu-ben", "q-1", 11, "QuizDone", "x"));
        var ben = await server.PlayerKeyAsync("stu-ben");
        await WaitForAsync(() =>
        {
            using var response = server.GetAsAdminAsync($"/v1/players/{ben}/profile").GetAwaiter().GetResult();
            return response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Contains("first_item", StringComparison.Ordinal) ? "" : null;
        }, "the achievement");
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');

        await SignInAsync(browser, $"{baseUrl}/groups/{GroupId}/players/{ben}/points/P1", TestServer.AdminToken, ".player-state");

        var state = browser.FindElement(By.CssSelector(".player-state[data-game='lms']"));
        Assert.Equal("compass", state.FindElement(By.CssSelector("dd.inventory")).Text);
        Assert.Contains("Collector", state.FindElement(By.CssSelector("li[data-achievement='first_item']")).Text, StringComparison.Ordinal);
        Assert.NotNull(state.FindElement(By.CssSelector("li[data-achievement='first_item'] time")).GetAttribute("datetime"));
        Screenshot(browser, "issue13-drill-down-state.png");
    }
}
