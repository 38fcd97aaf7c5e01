using System.Diagnostics;
using System.Text.Json;
using Cairn.Tests.Support;
using OpenQA.Selenium;

namespace Cairn.Tests.Funnels;

/// <summary>The designer page's saved funnels (SVG bars) and retention heat map, in a real browser.</summary>
public sealed class AnalyticsPageTests
{
    private const string Catalog = """
        game: game-test
        title: Level test
        points: []
        funnels:
          - id: levels
            title: Levels 0 to 2
            windowSeconds: 3600
            steps:
              - { eventType: LevelDone, data: { level: 0 }, name: Level 0 }
              - { eventType: LevelDone, data: { level: 1 }, name: Level 1 }
              - { eventType: LevelDone, data: { level: 2 }, name: Level 2 }
        """;

    [SkippableFact]
    public async Task Issue_15_the_game_page_draws_saved_funnels_and_the_retention_triangle_with_their_numbers()
    {
        await using var server = await TestServer.StartAsync(catalogs: new Dictionary<string, string> { ["game-test.yaml"] = Catalog });
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var events = new List<object>();
        foreach (var (player, levels) in new[] { ("p1", new[] { 0, 1, 2 }), ("p2", new[] { 0, 1 }), ("p3", new[] { 0 }), ("p4", new[] { 0, 1, 2 }) })
        {
            events.AddRange(levels.Select((level, i) => new
            {
                eventId = $"{player}-{level}", eventType = "LevelDone", timestamp = now.AddMinutes(-10 + i).ToString("O"), playerId = player, data = new { level },
            }));
        }
        using (await server.IngestAsync(JsonSerializer.Serialize(events)))
        {
        }
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');

        browser.Navigate().GoToUrl($"{baseUrl}/games/{TestServer.Game}?org={TestServer.Org}");
        browser.FindElement(By.Name("token")).SendKeys(TestServer.AdminToken);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        var clock = Stopwatch.StartNew();
        while (browser.FindElements(By.CssSelector("svg.funnel[data-funnel='levels']")).Count == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the game page never showed the funnel");
            await Task.Delay(100);
        }

        var steps = browser.FindElements(By.CssSelector("svg.funnel[data-funnel='levels'] g.step"));
        Assert.Equal(["4", "3", "2"], steps.Select(s => s.GetAttribute("data-players")));
        Assert.Contains("3 players · 75%", steps[1].FindElement(By.CssSelector("text.figures")).Text, StringComparison.Ordinal);
        Assert.Contains("median", steps[1].Text, StringComparison.Ordinal);
        Assert.Equal("Level 2", steps[2].FindElement(By.CssSelector("text")).Text);
        var cells = browser.FindElements(By.CssSelector("svg.retention g.cell"));
        var thisWeek = cells.Single(c => c.GetAttribute("data-week") == "0" && c.GetAttribute("data-active") != "0");
        Assert.Equal("4", thisWeek.GetAttribute("data-active"));
        Assert.Contains("100%", thisWeek.Text, StringComparison.Ordinal);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Chromium.ArtifactPath("game-page-analytics.png"));
    }
}
