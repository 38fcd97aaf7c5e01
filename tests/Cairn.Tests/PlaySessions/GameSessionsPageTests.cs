using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using OpenQA.Selenium;

namespace Cairn.Tests.PlaySessions;

/// <summary>The "Sessions" section of the designer page (/games/{game}) in a real browser, from hand-made journeys.</summary>
public sealed class GameSessionsPageTests
{
    private const string Woods = "wylding-woods";

    private static JsonObject Visit(string player, string id, DateTimeOffset at, string platform) => new()
    {
        ["eventId"] = player + "/" + id, ["eventType"] = "waypoint_visited", ["timestamp"] = at.ToString("O"), ["playerId"] = player,
        ["data"] = new JsonObject { ["contentId"] = "8_inter_gravity_car" }, ["device"] = new JsonObject { ["platform"] = platform },
    };

    [SkippableFact]
    public async Task Issue_15_the_game_page_shows_the_sessions_summary_by_platform()
    {
        var woods = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "wylding-woods.yaml")) + "\nsessions: {gapMinutes: 30}\n";
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Jobs:PollMilliseconds"] = "50" },
            new Dictionary<string, string> { ["wylding-woods.yaml"] = woods });
        var ingest = await server.CreateIngestKeyAsync(TestServer.Org, Woods);
        var t = DateTimeOffset.UtcNow.AddHours(-3);
        // Iris: 0–10 min and, after an hour, 70–72 min (WebGL); Jon: 0–4 min (iOS). Sorted lengths 2, 4, 10 min.
        var events = new JsonArray(
            Visit("iris@school.example", "1", t, "WebGL"), Visit("iris@school.example", "2", t.AddMinutes(10), "WebGL"),
            Visit("iris@school.example", "3", t.AddMinutes(70), "WebGL"), Visit("iris@school.example", "4", t.AddMinutes(72), "WebGL"),
            Visit("jon@school.example", "1", t, "iOS"), Visit("jon@school.example", "2", t.AddMinutes(4), "iOS"));
        using (var sent = await server.PostEventsAsync(events.ToJsonString(), ingest))
        {
            Assert.True(sent.StatusCode == HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        }
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await server.GetAsAdminAsync($"/v1/games/{Woods}/sessions/summary?org={TestServer.Org}");
            using var body = await TestServer.ReadJsonAsync(response);
            if (body.RootElement.GetProperty("count").GetInt32() == 3 && body.RootElement.GetProperty("players").GetInt32() == 2)
            {
                break;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the sessions were never computed: " + body.RootElement.GetRawText());
            await Task.Delay(100);
        }
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');

        browser.Navigate().GoToUrl($"{baseUrl}/groups");
        browser.FindElement(By.Name("token")).SendKeys(TestServer.AdminToken);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        clock.Restart();
        while (browser.FindElements(By.CssSelector("form.signin")).Count > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the sign-in never went through");
            await Task.Delay(100);
        }
        // The admin names the org (a teacher's or org admin's page is their own org's).
        browser.Navigate().GoToUrl($"{baseUrl}/games/{Woods}?org={TestServer.Org}");
        clock.Restart();
        while (browser.FindElements(By.CssSelector("#sessions")).Count == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the game page never showed its sessions");
            await Task.Delay(100);
        }

        string Figure(string name) => browser.FindElement(By.CssSelector($"#sessions td[data-figure='{name}']")).Text;
        Assert.Equal(("3", "2", "4 min", "10 min", "1.5"), (Figure("count"), Figure("players"), Figure("median"), Figure("p90"), Figure("per-player")));
        var webgl = browser.FindElement(By.CssSelector("#sessions tr[data-platform='WebGL']")).Text;
        Assert.Contains("67 %", webgl, StringComparison.Ordinal);
        Assert.Contains("iOS", browser.FindElement(By.CssSelector("#sessions tr[data-platform='iOS']")).Text, StringComparison.Ordinal);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Chromium.ArtifactPath("game-page-sessions.png"));
    }
}
