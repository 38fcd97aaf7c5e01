using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using OpenQA.Selenium;

namespace Cairn.Tests.Dashboard;

/// <summary>The designer page of a game (/games/{game}) in a real browser, reached from the classes page, on the Wylding Woods catalog.</summary>
public sealed class GamePageTests
{
    private const string Woods = "wylding-woods";

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, double seconds = 30)
        where T : class
    {
        var clock = Stopwatch.StartNew();
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
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(100);
        }
    }

    private static JsonObject Woods_(string player, string id, DateTimeOffset at, string type, string contentId) => new()
    {
        ["eventId"] = player + "/" + id, ["eventType"] = type, ["timestamp"] = at.ToString("O"), ["playerId"] = player,
        ["data"] = new JsonObject { ["contentId"] = contentId },
    };

    [SkippableFact]
    public async Task Issue_13_the_game_page_shows_active_players_achievements_leaderboards_and_visited_content()
    {
        var catalogs = new Dictionary<string, string> { ["wylding-woods.yaml"] = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "wylding-woods.yaml")) };
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" }, catalogs);
        var ingest = await server.CreateIngestKeyAsync(TestServer.Org, Woods);
        using (var group = await server.SendAsync(HttpMethod.Post, "/v1/groups", TestServer.AdminToken,
            JsonSerializer.Serialize(new { id = "woods-1", org = TestServer.Org, name = "Woods walkers", game = Woods, teachers = new[] { "t-1" } })))
        {
            Assert.Equal(HttpStatusCode.Created, group.StatusCode);
        }
        using (var roster = await server.SendAsync(HttpMethod.Put, "/v1/groups/woods-1/members", TestServer.AdminToken,
            JsonSerializer.Serialize(new[] { new { playerId = "iris@school.example", displayName = "Iris Ito" }, new { playerId = "jon@school.example", displayName = "Jon Jones" } })))
        {
            Assert.Equal(HttpStatusCode.OK, roster.StatusCode);
        }
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var events = new JsonArray(
            Woods_("iris@school.example", "1", now.AddSeconds(-50), "waypoint_visited", "8_inter_gravity_car"),
            Woods_("iris@school.example", "2", now.AddSeconds(-40), "quest_started", "discover_woander"),
            Woods_("iris@school.example", "3", now.AddSeconds(-10), "quest_completed", "discover_woander"),
            Woods_("jon@school.example", "1", now.AddSeconds(-30), "waypoint_visited", "8_inter_gravity_car"),
            Woods_("jon@school.example", "2", now.AddSeconds(-20), "waypoint_visited", "1_inter_woander_storefront"));
        using (var sent = await server.PostEventsAsync(events.ToJsonString(), ingest))
        {
            Assert.True(sent.StatusCode == HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        }
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var board = await server.GetAsAdminAsync($"/v1/leaderboards/{Woods}/quickest_woander?org={TestServer.Org}");
            using var body = await TestServer.ReadJsonAsync(board);
            if (body.RootElement.GetProperty("entries").GetArrayLength() == 1)
            {
                break;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the board never filled");
            await Task.Delay(100);
        }
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');

        browser.Navigate().GoToUrl($"{baseUrl}/groups");
        browser.FindElement(By.Name("token")).SendKeys(TestServer.AdminToken);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        var link = await WaitForAsync(() => browser.FindElements(By.CssSelector("a.game-link")).FirstOrDefault(), "the game's link on the classes page");
        link.Click();
        await WaitForAsync(() => browser.FindElements(By.CssSelector("#active .active-count")).FirstOrDefault(), "the game page");

        Assert.Equal("2", browser.FindElement(By.CssSelector("#active .active-count")).Text);
        Assert.Contains("Iris Ito", browser.FindElement(By.CssSelector("#active")).Text, StringComparison.Ordinal);
        Assert.Equal("2", browser.FindElement(By.CssSelector("tr[data-achievement='first_waypoint'] td.num")).Text);
        Assert.Equal("1", browser.FindElement(By.CssSelector("tr[data-achievement='discover_woander'] td.num")).Text);
        var quickest = browser.FindElement(By.CssSelector("table.leaderboard[data-board='quickest_woander'] tbody tr")).Text;
        Assert.Contains("Iris Ito", quickest, StringComparison.Ordinal);
        Assert.Contains("30", quickest, StringComparison.Ordinal);
        Assert.Equal("8_inter_gravity_car", browser.FindElement(By.CssSelector("#most-visited tbody tr")).GetAttribute("data-content"));
        Assert.Equal("13_inter_lending_library_story_anchor", browser.FindElement(By.CssSelector("#least-visited tbody tr")).GetAttribute("data-content"));
        Assert.Equal("0", browser.FindElement(By.CssSelector("#least-visited tbody tr td.num")).Text);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Chromium.ArtifactPath("game-page.png"));
    }
}
