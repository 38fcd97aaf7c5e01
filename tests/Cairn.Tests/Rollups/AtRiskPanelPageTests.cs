using Cairn.Rollups;
using Cairn.Tests.Support;
using OpenQA.Selenium;

namespace Cairn.Tests.Rollups;

/// <summary>Issue #12: the at-risk panel of the class page, in a real browser.</summary>
public sealed class AtRiskPanelPageTests
{
    [SkippableFact]
    public async Task Issue_12_the_class_page_lists_the_students_at_risk_with_their_reasons_in_plain_words()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        var world = await RiskClass.StartAsync((overrides, catalogs) => TestServer.StartAsync(overrides, catalogs));
        await using var server = world.Server;
        await world.DashboardUntilAsync(d => d.GetProperty("atRisk").EnumerateArray().Count() == 4
            && d.GetProperty("atRisk").EnumerateArray().Any(s => s.GetProperty("flags").EnumerateArray().Any(f => f.GetProperty("code").GetString() == RiskFlag.Stuck)),
            "four students at risk");

        browser.Navigate().GoToUrl($"{server.Http.BaseAddress!.ToString().TrimEnd('/')}/groups/{RiskClass.GroupId}");
        browser.FindElement(By.Name("token")).SendKeys(TestServer.AdminToken);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (browser.FindElements(By.CssSelector("#at-risk > ul > li")).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the at-risk panel never appeared: " + browser.PageSource[..Math.Min(2000, browser.PageSource.Length)]);
            await Task.Delay(100);
        }

        var panel = browser.FindElement(By.Id("at-risk"));
        Assert.Equal("At risk (4)", panel.FindElement(By.TagName("h2")).Text);
        var students = panel.FindElements(By.CssSelector(":scope > ul > li"));
        Assert.Equal(["Ben", "Cy", "Dee", "Eli"], students.Select(s => s.FindElement(By.TagName("strong")).Text));
        var cy = students.Single(s => s.FindElement(By.TagName("strong")).Text == "Cy");
        var reasons = cy.FindElements(By.CssSelector("li.reason")).ToDictionary(r => r.GetAttribute("data-code")!, r => r.Text);
        Assert.Equal([RiskFlag.CompletionBelowMedian, RiskFlag.MissingSubmissions], reasons.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2 assignments have no graded submission more than 3 days after they were assigned: asg-1, asg-2.", reasons[RiskFlag.MissingSubmissions]);
        var eli = students.Single(s => s.FindElement(By.TagName("strong")).Text == "Eli");
        Assert.Equal("Started quest 5 days ago and has not completed it.", eli.FindElement(By.CssSelector("li.reason")).Text);
        Assert.DoesNotContain("Ana", panel.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("@school.example", browser.PageSource, StringComparison.Ordinal);
        browser.GetScreenshot().SaveAsFile(Chromium.ArtifactPath("issue12-at-risk-panel.png"));
    }
}
