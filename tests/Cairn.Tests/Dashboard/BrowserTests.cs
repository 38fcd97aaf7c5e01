using Cairn.Tests.Support;
using OpenQA.Selenium;

namespace Cairn.Tests.Dashboard;

public sealed class BrowserTests
{
    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, double seconds = 20)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds} s waiting for {what}");
            }
            await Task.Delay(100);
        }
    }

    [SkippableFact]
    public async Task A_cell_turns_green_live_without_a_reload_after_an_event_is_ingested()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");
        var baseUrl = d.Server.Http.BaseAddress!.ToString().TrimEnd('/');

        browser.Navigate().GoToUrl($"{baseUrl}/groups/{DashboardServer.GroupId}");
        browser.FindElement(By.Name("token")).SendKeys(TestServer.AdminToken);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        var cellSelector = By.CssSelector($"td.cell[data-player='{ada}'][data-point='U1.C1']");
        var cell = await WaitForAsync(() => browser.FindElements(cellSelector).FirstOrDefault(), "the matrix");
        Assert.Contains("white", cell.GetAttribute("class"), StringComparison.Ordinal);
        await WaitForAsync(() => browser.FindElement(By.Id("live")).Text == "live" ? "" : null, "the live connection");
        ((IJavaScriptExecutor)browser).ExecuteScript("window.cairnTestMarker = 'same page';");

        await d.SendAsync("ada@school.example", 31, 29, minutesAgo: 2); // completes U1.C1
        await WaitForAsync(() => browser.FindElement(cellSelector).GetAttribute("class")!.Contains("green", StringComparison.Ordinal) ? "" : null,
            "the cell to turn green", seconds: 10);

        Assert.Equal("same page", ((IJavaScriptExecutor)browser).ExecuteScript("return window.cairnTestMarker;"));
        Assert.Equal("✓", browser.FindElement(cellSelector).Text);
        Assert.Contains("green", browser.FindElement(cellSelector).GetAttribute("title"), StringComparison.Ordinal);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Chromium.ArtifactPath("matrix-live.png"));

        browser.FindElement(cellSelector).FindElement(By.TagName("a")).Click();
        await WaitForAsync(() => browser.FindElements(By.CssSelector("table.events")).FirstOrDefault(), "the drill-down");
        Assert.Contains("completion", browser.FindElement(By.CssSelector("table.events")).Text, StringComparison.Ordinal);
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Chromium.ArtifactPath("drill-down.png"));
    }

    [SkippableFact]
    public async Task The_matrix_page_asks_for_sign_in_and_refuses_a_wrong_token()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        var baseUrl = d.Server.Http.BaseAddress!.ToString().TrimEnd('/');

        browser.Navigate().GoToUrl($"{baseUrl}/groups/{DashboardServer.GroupId}");
        browser.FindElement(By.Name("token")).SendKeys("cat_wrong");
        browser.FindElement(By.CssSelector("form.signin button")).Click();

        // The click returns before the answer has loaded; on a busy machine the old page is still there.
        var error = await WaitForAsync(() => browser.FindElements(By.CssSelector(".error")).FirstOrDefault(), "the sign-in error");
        Assert.Contains("not valid", error.Text, StringComparison.Ordinal);
        Assert.Empty(browser.FindElements(By.CssSelector("table.matrix")));
    }

    [SkippableFact]
    public async Task Issue_11_the_matrix_page_shows_a_student_who_joins_the_class_while_it_is_open()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        var dan = await d.Server.PlayerKeyAsync("dan@school.example");
        var baseUrl = d.Server.Http.BaseAddress!.ToString().TrimEnd('/');
        browser.Navigate().GoToUrl($"{baseUrl}/groups/{DashboardServer.GroupId}");
        browser.FindElement(By.Name("token")).SendKeys(TestServer.AdminToken);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        await WaitForAsync(() => browser.FindElements(By.CssSelector("table.matrix")).FirstOrDefault(), "the matrix");
        await WaitForAsync(() => browser.FindElement(By.Id("live")).Text == "live" ? "" : null, "the live connection");
        Assert.Empty(browser.FindElements(By.CssSelector($"td.cell[data-player='{dan}']")));

        var roster = System.Text.Json.JsonSerializer.Serialize(DashboardServer.Students.Append((PlayerId: "dan@school.example", Name: "Dan Diallo"))
            .Select(s => new { playerId = s.PlayerId, displayName = s.Name }));
        using (var members = await d.Server.SendAsync(HttpMethod.Put, $"/v1/groups/{DashboardServer.GroupId}/members", TestServer.AdminToken, roster))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, members.StatusCode);
        }
        await d.SendAsync("dan@school.example", 31, 29, minutesAgo: 2); // completes U1.C1

        var cellSelector = By.CssSelector($"td.cell[data-player='{dan}'][data-point='U1.C1']");
        await WaitForAsync(() => browser.FindElements(cellSelector).FirstOrDefault() is { } cell
            && cell.GetAttribute("class")!.Contains("green", StringComparison.Ordinal) ? cell : null, "Dan's row, with his green cell", seconds: 15);
        Assert.Contains("Dan Diallo", browser.FindElement(By.CssSelector("table.matrix")).Text, StringComparison.Ordinal);
        await WaitForAsync(() => browser.FindElement(By.Id("live")).Text == "live" ? "" : null, "the live connection after the reload");
        ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Chromium.ArtifactPath("matrix-student-joined.png"));
    }
}
