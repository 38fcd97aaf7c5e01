using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cairn.Tests.Support;
using OpenQA.Selenium;

namespace Cairn.Tests.Dashboard;

public sealed class DemoTests
{
    [Fact]
    public async Task Serve_demo_creates_a_class_of_25_and_its_cells_fill_in_live()
    {
        using var root = new TempDirectory();
        var catalogs = Path.Combine(SharedData.RepositoryRoot(), "catalogs");

        using var demo = await CairnProcess.StartAsync(root.Combine("data"), ["--demo", "--catalogs", catalogs],
            new Dictionary<string, string> { ["CAIRN_Demo__Speed"] = "600" });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        var coloured = 0;
        var players = 0;
        do
        {
            await Task.Delay(500);
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/groups/demo-class/progress");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
            using var response = await demo.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue; // the demo creates the class after its dialect showcase
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var matrix = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            players = matrix.RootElement.GetProperty("players").GetArrayLength();
            coloured = matrix.RootElement.GetProperty("cells").EnumerateArray()
                .Sum(row => row.EnumerateArray().Count(c => c.GetProperty("status").GetString() != "white"));
        }
        while (coloured < 10 && DateTime.UtcNow < deadline);

        Assert.Equal(25, players);
        Assert.True(coloured >= 10, $"only {coloured} cells changed in 60 s");
        Assert.Contains("/groups/demo-class", demo.Output, StringComparison.Ordinal);
        Assert.Contains("sign in with your CAIRN_ADMIN_TOKEN", demo.Output, StringComparison.Ordinal);
        await demo.StopAsync();
    }

    [Fact]
    public async Task Issue_13_the_demo_class_fills_a_leaderboard_and_the_output_names_the_game_page()
    {
        using var root = new TempDirectory();
        var catalogs = Path.Combine(SharedData.RepositoryRoot(), "catalogs");
        using var demo = await CairnProcess.StartAsync(root.Combine("data"), ["--demo", "--catalogs", catalogs],
            new Dictionary<string, string> { ["CAIRN_Demo__Speed"] = "600" });

        var deadline = DateTime.UtcNow.AddSeconds(120);
        var entries = 0;
        do
        {
            await Task.Delay(500);
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/leaderboards/mhs/quests_finished?org=demo&scope=group:demo-class");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
            using var response = await demo.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue; // the demo creates the class after its dialect showcase
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var board = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            entries = board.RootElement.GetProperty("entries").GetArrayLength();
        }
        while (entries == 0 && DateTime.UtcNow < deadline);

        Assert.True(entries > 0, "no student of the demo class reached the quests-finished board in 120 s");
        Assert.Contains("/games/mhs?org=demo", demo.Output, StringComparison.Ordinal);
        await demo.StopAsync();
    }

    [Fact]
    public async Task Issue_11_a_second_demo_over_the_same_data_directory_seats_a_fresh_class_that_fills_in()
    {
        using var root = new TempDirectory();
        var first = new HashSet<string>(StringComparer.Ordinal);
        using (var demo = await StartDemoAsync(root, speed: 600))
        {
            var matrix = await WaitForMatrixAsync(demo, m => m.Coloured >= 5, "the first demo's class to fill in");
            first.UnionWith(matrix.Players);
            await demo.StopAsync();
        }

        using var again = await StartDemoAsync(root, speed: 600);
        var fresh = await WaitForMatrixAsync(again, m => !m.Players.Overlaps(first) && m.Coloured >= 5,
            "a class of other students, filling in, in the second demo");

        Assert.Equal(25, fresh.Players.Count);
        Assert.Contains("'demo-class' is left from an earlier demo in this data directory; a fresh class replaces its students", again.Output, StringComparison.Ordinal);
        Assert.Contains("Demo: round 1: a class of 25 students is playing MHS now", again.Output, StringComparison.Ordinal);
        await again.StopAsync();
    }

    [Fact]
    public async Task Issue_11_the_demo_keeps_playing_with_a_new_class_after_the_first_one_has_finished()
    {
        using var root = new TempDirectory();
        using var demo = await StartDemoAsync(root, speed: 3000);
        var round1 = await WaitForMatrixAsync(demo, m => m.Players.Count == 25, "the first class");

        var round2 = await WaitForMatrixAsync(demo, m => !m.Players.Overlaps(round1.Players) && m.Coloured >= 5,
            "a second class, filling in, after the first has finished", seconds: 120);

        Assert.Equal(25, round2.Players.Count);
        Assert.Contains("Demo: round 2: everyone finished round 1; a new class of 25 students starts over in demo-class.", demo.Output, StringComparison.Ordinal);
        await demo.StopAsync();
    }

    private sealed record MatrixView(HashSet<string> Players, int Coloured);

    private static Task<CairnProcess> StartDemoAsync(TempDirectory root, int speed) =>
        CairnProcess.StartAsync(root.Combine("data"), ["--demo", "--catalogs", Path.Combine(SharedData.RepositoryRoot(), "catalogs")],
            new Dictionary<string, string> { ["CAIRN_Demo__Speed"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>Reads the demo class's matrix until it shows what <paramref name="done"/> wants (a deadline, not a timing assertion).</summary>
    private static async Task<MatrixView> WaitForMatrixAsync(CairnProcess demo, Func<MatrixView, bool> done, string what, double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        MatrixView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/groups/demo-class/progress");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
            using var response = await demo.Http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var matrix = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var players = matrix.RootElement.GetProperty("players").EnumerateArray()
                    .Select(p => p.GetProperty("playerKey").GetString()!).ToHashSet(StringComparer.Ordinal);
                var coloured = matrix.RootElement.GetProperty("cells").EnumerateArray()
                    .Sum(row => row.EnumerateArray().Count(c => c.GetProperty("status").GetString() != "white"));
                last = new MatrixView(players, coloured);
                if (done(last))
                {
                    return last;
                }
            }
            await Task.Delay(300);
        }
        Assert.Fail($"timed out after {seconds} s waiting for {what}; last matrix: {last?.Players.Count} players, {last?.Coloured} coloured cells\n{demo.Output}");
        return null!;
    }

    /// <summary>Also takes the class page's picture in the docs (docs/dashboard-class.png is a copy of this test's artifact).</summary>
    [SkippableFact]
    public async Task Issue_11_the_demo_class_page_says_who_needs_attention()
    {
        using var root = new TempDirectory();
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        browser.Manage().Window.Size = new System.Drawing.Size(1280, 800);
        var catalogs = Path.Combine(SharedData.RepositoryRoot(), "catalogs");
        using var demo = await CairnProcess.StartAsync(root.Combine("data"), ["--demo", "--catalogs", catalogs],
            new Dictionary<string, string> { ["CAIRN_Demo__Speed"] = "60" });
        var baseUrl = demo.Http.BaseAddress!.ToString().TrimEnd('/');
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var yellow = 0;
        var coloured = 0;
        do
        {
            await Task.Delay(1000);
            var request = new HttpRequestMessage(HttpMethod.Get, "/v1/groups/demo-class/progress");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.AdminToken);
            using var response = await demo.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var matrix = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var cells = matrix.RootElement.GetProperty("cells").EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(c => c.GetProperty("status").GetString()).ToList();
                yellow = cells.Count(c => c == "yellow");
                coloured = cells.Count(c => c != "white");
            }
        }
        while ((yellow < 4 || coloured < 100) && DateTime.UtcNow < deadline); // a class in the middle of the game

        browser.Navigate().GoToUrl($"{baseUrl}/groups/demo-class");
        browser.FindElement(By.Name("token")).SendKeys(TestServer.AdminToken);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        var items = 0;
        for (var i = 0; i < 100 && items == 0; i++)
        {
            await Task.Delay(100);
            items = browser.FindElements(By.CssSelector("#attention li")).Count;
        }

        Assert.True(yellow >= 4, $"only {yellow} yellow cells in 90 s");
        Assert.True(items > 0, "nobody on the needs-attention strip of a class in the middle of the game");
        Assert.Contains("Mission HydroSci", browser.FindElement(By.CssSelector("main .sub")).Text, StringComparison.Ordinal);
        browser.GetScreenshot().SaveAsFile(Chromium.ArtifactPath("demo-class.png"));
        browser.Navigate().GoToUrl($"{baseUrl}/groups");
        browser.GetScreenshot().SaveAsFile(Chromium.ArtifactPath("demo-groups.png"));
        await demo.StopAsync();
    }
}
