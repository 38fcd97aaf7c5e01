using Cairn.Tests.Support;
using OpenQA.Selenium;

namespace Cairn.Tests.Dashboard;

public sealed class BrowserTests
{
    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, double seconds = 10)
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
}
