using System.Drawing;
using System.Net;
using System.Text.Json;
using Cairn.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Cairn.Tests.Dashboard;

/// <summary>Issue #11, the teacher's and the student's pages, in a real browser (screenshots under TestResults/artifacts).</summary>
public sealed class Issue11PageTests
{
    private static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, double seconds = 20)
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
                // The page replaced the element between finding and reading it (the strip is re-read live): look again.
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds} s waiting for {what}");
            }
            await Task.Delay(100);
        }
    }

    private static string BaseUrl(DashboardServer d) => d.Server.Http.BaseAddress!.ToString().TrimEnd('/');

    private static async Task SignInAsync(ChromeDriver browser, string url, string token, string waitFor)
    {
        browser.Navigate().GoToUrl(url);
        browser.FindElement(By.Name("token")).SendKeys(token);
        browser.FindElement(By.CssSelector("form.signin button")).Click();
        await WaitForAsync(() => browser.FindElements(By.CssSelector(waitFor)).FirstOrDefault(), waitFor);
    }

    private static object? Js(ChromeDriver browser, string script, params object[] args) => ((IJavaScriptExecutor)browser).ExecuteScript(script, args);

    private static double Number(object? value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    private static void Screenshot(ChromeDriver browser, string name) => browser.GetScreenshot().SaveAsFile(Chromium.ArtifactPath(name));

    /// <summary>Ada: three yellow cells (three wrong readings, seven minutes for Dr. Toppo, two hints); Ben: last seen 30 minutes ago; Cleo: busy.</summary>
    private static async Task PlayAsync(DashboardServer d)
    {
        const string ada = "ada@school.example";
        await d.SendAsync(ada, 31, 29, minutesAgo: 20); // U1.C1 green
        await d.SendAsync(ada, 32, 1, minutesAgo: 19);
        await d.SendAsync(ada, 32, 12, minutesAgo: 18.5);
        await d.SendAsync(ada, 32, 12, minutesAgo: 18);
        await d.SendAsync(ada, 32, 12, minutesAgo: 17.5);
        await d.SendAsync(ada, 32, 40, minutesAgo: 17); // U1.C3 yellow: 3 wrong readings
        await d.SendAsync(ada, 20, 1, minutesAgo: 10);
        await d.SendAsync(ada, 20, 26, minutesAgo: 3); // U2.C2 yellow: 7 minutes
        await d.SendAsync(ada, 20, 60, minutesAgo: 2.5);
        await d.SendAsync(ada, 20, 33, minutesAgo: 2);
        await d.SendAsync(ada, 20, 33, minutesAgo: 1.5);
        await d.SendAsync(ada, 20, 74, minutesAgo: 1); // U2.C7 yellow: 2 hints
        await d.SendAsync("ben@school.example", 31, 29, minutesAgo: 30); // U1.C1, then nothing
        await d.SendAsync("cleo@school.example", 31, 29, minutesAgo: 5);
        await d.SendAsync("cleo@school.example", 30, 98, minutesAgo: 0.5);
        var adaKey = await d.Server.PlayerKeyAsync(ada);
        await d.WaitForCellAsync(adaKey, "U2.C7", "yellow");
        await d.WaitForCellAsync(adaKey, "U1.C3", "yellow");
        await d.WaitForCellAsync(adaKey, "U2.C2", "yellow");
        await d.WaitForCellAsync(await d.Server.PlayerKeyAsync("cleo@school.example"), "U1.C2", "green");
    }

    [SkippableFact]
    public async Task Issue_11_headers_show_point_titles_and_stay_in_view_with_the_student_column_when_a_40_student_class_scrolls()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        browser.Manage().Window.Size = new Size(1280, 720);
        var students = Enumerable.Range(1, 40).Select(i => ($"s{i:00}@school.example", $"Student Number {i:00}")).ToList();
        await using var d = await DashboardServer.StartAsync(students: students);
        await d.SendAsync("s01@school.example", 31, 29, minutesAgo: 1);
        await d.WaitForCellAsync(await d.Server.PlayerKeyAsync("s01@school.example"), "U1.C1", "green");

        await SignInAsync(browser, $"{BaseUrl(d)}/groups/{DashboardServer.GroupId}", TestServer.AdminToken, "table.matrix");

        // Titles, not only codes, in the column headers; the code is there too, smaller; and how many students are done.
        var header = browser.FindElement(By.CssSelector("th.point[data-point='U2.C2']"));
        Assert.Equal("Find Dr. Toppo in under 5 minutes", header.FindElement(By.CssSelector(".ptitle")).Text.ReplaceLineEndings(" "));
        Assert.Equal("U2.C2", header.FindElement(By.CssSelector(".pcode")).Text);
        Assert.True(Number(Js(browser, "return parseFloat(getComputedStyle(arguments[0]).fontSize);", header.FindElement(By.CssSelector(".pcode"))))
            < Number(Js(browser, "return parseFloat(getComputedStyle(arguments[0]).fontSize);", header.FindElement(By.CssSelector(".ptitle")))));
        Assert.Equal("1/40", browser.FindElement(By.CssSelector("th.point[data-point='U1.C1'] .pcount")).Text);
        Assert.Equal("0/40", header.FindElement(By.CssSelector(".pcount")).Text);
        Screenshot(browser, "issue11-matrix-40-top.png");

        // Scroll as far down and right as the page and the matrix go.
        Js(browser, "window.scrollTo(0, document.documentElement.scrollHeight);");
        Js(browser, "const s = document.getElementById('matrix-scroll'); s.scrollTop = s.scrollHeight; s.scrollLeft = s.scrollWidth;");
        await Task.Delay(200);

        var box = (IReadOnlyDictionary<string, object>)Js(browser, "const r = document.getElementById('matrix-scroll').getBoundingClientRect(); return {top: r.top, left: r.left, bottom: r.bottom};")!;
        var head = (IReadOnlyDictionary<string, object>)Js(browser, "const r = document.querySelector('table.matrix thead').getBoundingClientRect(); return {top: r.top, bottom: r.bottom};")!;
        var lastName = browser.FindElement(By.CssSelector("table.matrix tbody tr:last-child th"));
        var last = (IReadOnlyDictionary<string, object>)Js(browser, "const r = arguments[0].getBoundingClientRect(); return {top: r.top, left: r.left, bottom: r.bottom};", lastName)!;
        Assert.True(Number(Js(browser, "return document.getElementById('matrix-scroll').scrollTop;")) > 0, "the matrix box itself scrolls vertically");
        Assert.InRange(Number(head["top"]), Number(box["top"]) - 1, Number(box["top"]) + 2);
        Assert.InRange(Number(head["top"]), 0, 720);
        Assert.EndsWith("Student Number 40", lastName.Text, StringComparison.Ordinal);
        Assert.InRange(Number(last["top"]), Number(head["bottom"]) - 1, 720);
        Assert.InRange(Number(last["left"]), Number(box["left"]), Number(box["left"]) + 2);
        Assert.True(Number(Js(browser, "return document.getElementById('matrix-scroll').scrollLeft;")) > 0, "the matrix box scrolls horizontally");
        var corner = (IReadOnlyDictionary<string, object>)Js(browser, "const r = document.querySelector('th.corner').getBoundingClientRect(); return {top: r.top, left: r.left};")!;
        Assert.InRange(Number(corner["left"]), Number(box["left"]), Number(box["left"]) + 2);
        Assert.InRange(Number(corner["top"]), Number(box["top"]), Number(box["top"]) + 2);
        Assert.True(browser.FindElement(By.CssSelector("th.point[data-point='U3.C2'] .ptitle")).Displayed);
        Screenshot(browser, "issue11-matrix-40-scrolled.png");
    }

    [SkippableFact]
    public async Task Issue_11_the_attention_strip_says_who_needs_help_and_why_and_the_matrix_sorts_with_totals()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        await PlayAsync(d);
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");
        var ben = await d.Server.PlayerKeyAsync("ben@school.example");
        var cleo = await d.Server.PlayerKeyAsync("cleo@school.example");

        await SignInAsync(browser, $"{BaseUrl(d)}/groups/{DashboardServer.GroupId}", TestServer.AdminToken, "table.matrix");

        var strip = browser.FindElement(By.Id("attention"));
        Assert.Contains("Needs attention (2)", strip.Text, StringComparison.Ordinal);
        var adaItem = strip.FindElement(By.CssSelector($"li[data-player='{ada}']"));
        Assert.Contains("Ada Adams", adaItem.Text, StringComparison.Ordinal);
        Assert.Contains("yellow on 3 points (Calibrate the scanner, Find Dr. Toppo in under 5 minutes, Argue for a hypothesis with at most one hint)", adaItem.Text, StringComparison.Ordinal);
        var benItem = strip.FindElement(By.CssSelector($"li[data-player='{ben}']"));
        Assert.Equal("inactive", benItem.FindElement(By.CssSelector(".reason")).GetAttribute("data-kind"));
        Assert.Contains("no activity for 29 min 30 s, while the class is playing", benItem.Text, StringComparison.Ordinal);
        Assert.Empty(strip.FindElements(By.CssSelector($"li[data-player='{cleo}']")));

        // Totals per student at the end of the row, counts per point in the header.
        Assert.Equal("1 ✓ 3 ◐", browser.FindElement(By.CssSelector($"tr[data-player='{ada}'] td.total")).Text);
        Assert.Equal("3/3", browser.FindElement(By.CssSelector("th.point[data-point='U1.C1'] .pcount")).Text);
        Assert.Equal("1/3", browser.FindElement(By.CssSelector("th.point[data-point='U2.C2'] .pcount")).Text);

        string[] Order() => [.. browser.FindElements(By.CssSelector("table.matrix tbody tr")).Select(r => r.GetAttribute("data-name")!)];
        Assert.Equal(["Ada Adams", "Ben Bauer", "Cleo Costa"], Order());
        void SortBy(string value) => Js(browser, "const s = document.getElementById('sort'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", value);
        SortBy("progress");
        Assert.Equal(["Ada Adams", "Cleo Costa", "Ben Bauer"], Order());
        SortBy("attention");
        Assert.Equal(["Ben Bauer", "Ada Adams", "Cleo Costa"], Order()); // one reason each: fewer done first
        Assert.Contains("sort=attention", browser.Url, StringComparison.Ordinal);
        Screenshot(browser, "issue11-attention.png");

        // A live change moves the counts at once and the strip follows (Cleo is now done with U1.C3: no reason appears).
        await d.SendAsync("cleo@school.example", 32, 40, minutesAgo: 0.2);
        await WaitForAsync(() => browser.FindElement(By.CssSelector($"tr[data-player='{cleo}'] td.total")).Text == "3 ✓ 0 ◐" ? "" : null, "Cleo's total");
        Assert.Equal("2/3", browser.FindElement(By.CssSelector("th.point[data-point='U1.C3'] .pcount")).Text);

        // Ben plays again: once his cell changes, the strip is read again and he is off it.
        await d.SendAsync("ben@school.example", 30, 98, minutesAgo: 0.1);
        await WaitForAsync(() => browser.FindElement(By.Id("attention")).Text.Contains("Needs attention (1)", StringComparison.Ordinal) ? "" : null, "Ben off the strip");
        Assert.Empty(browser.FindElements(By.CssSelector($"#attention li[data-player='{ben}']")));
        Assert.Equal("0", browser.FindElement(By.CssSelector($"tr[data-player='{ben}']")).GetAttribute("data-attention"));
    }

    [SkippableFact]
    public async Task Issue_11_a_started_point_has_its_own_look_and_a_student_stuck_on_it_needs_attention()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        await PlayAsync(d);
        // Cleo talked to Dr. Toppo 25 minutes ago and has not found him; the class typically takes 7 minutes (Ada's time).
        await d.SendAsync("cleo@school.example", 20, 1, minutesAgo: 25);
        var cleo = await d.Server.PlayerKeyAsync("cleo@school.example");
        await d.WaitForCellAsync(cleo, "U2.C2", "started");

        await SignInAsync(browser, $"{BaseUrl(d)}/groups/{DashboardServer.GroupId}", TestServer.AdminToken, "table.matrix");

        var cell = browser.FindElement(By.CssSelector($"td.cell[data-player='{cleo}'][data-point='U2.C2']"));
        Assert.Contains("started", cell.GetAttribute("class")!.Split(' '));
        Assert.Equal("▷", cell.Text);
        Assert.Contains("started, not done yet", cell.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Contains("started, not done yet", browser.FindElement(By.CssSelector(".legend")).Text, StringComparison.Ordinal);
        // A started point is not done: the header's count and the student's total leave it out.
        Assert.Equal("1/3", browser.FindElement(By.CssSelector("th.point[data-point='U2.C2'] .pcount")).Text);
        var cleoItem = browser.FindElement(By.CssSelector($"#attention li[data-player='{cleo}']"));
        var stuck = cleoItem.FindElement(By.CssSelector(".reason[data-kind='stuck']"));
        Assert.Equal("on “Find Dr. Toppo in under 5 minutes” for 24 min 30 s; it typically takes 7 min", stuck.Text);
        Screenshot(browser, "issue11-started-and-stuck.png");

        // The player's progress says started, since when, and no completion.
        using var response = await d.Server.GetAsAdminAsync($"/v1/players/{cleo}/progress?game=mhs");
        using var body = await TestServer.ReadJsonAsync(response);
        var point = body.RootElement.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("pointId").GetString() == "U2.C2");
        Assert.Equal("started", point.GetProperty("status").GetString());
        Assert.True(point.TryGetProperty("startedAt", out _));
        Assert.False(point.TryGetProperty("completedAt", out _));

        // Completing it turns the cell yellow (18 min 30 s > 5 min) and takes Cleo off the strip's stuck reason.
        await d.SendAsync("cleo@school.example", 20, 26, minutesAgo: 6.5);
        await WaitForAsync(() => cell.GetAttribute("class")!.Contains("yellow", StringComparison.Ordinal) ? "" : null, "the started cell to turn yellow");
        await WaitForAsync(() => browser.FindElements(By.CssSelector($"#attention li[data-player='{cleo}'] .reason[data-kind='stuck']")).Count == 0 ? "" : null,
            "the stuck reason to go");
    }

    [SkippableFact]
    public async Task Issue_11_the_drill_down_says_why_a_cell_is_yellow_and_names_the_events_with_raw_data_behind_a_toggle()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        await PlayAsync(d);
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");

        await SignInAsync(browser, $"{BaseUrl(d)}/groups/{DashboardServer.GroupId}", TestServer.AdminToken, "table.matrix");
        browser.FindElement(By.CssSelector($"td.cell[data-player='{ada}'][data-point='U2.C2'] a")).Click();
        var why = await WaitForAsync(() => browser.FindElements(By.CssSelector("dd.why")).FirstOrDefault(), "the drill-down");

        Assert.Equal("7 min; green needs at most 5 min", why.Text);
        var events = browser.FindElement(By.CssSelector("table.events"));
        Assert.Contains("start: talked to Dr. Toppo", events.Text, StringComparison.Ordinal);
        Assert.Contains("completion: found Dr. Toppo", events.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("conversationId", events.Text, StringComparison.Ordinal);
        Screenshot(browser, "issue11-drill-down.png");
        browser.FindElement(By.Id("show-raw")).Click();
        Assert.Contains("{\"conversationId\":20,\"nodeId\":1}", browser.FindElement(By.CssSelector("table.events")).Text, StringComparison.Ordinal);
        Screenshot(browser, "issue11-drill-down-raw.png");

        browser.Navigate().GoToUrl($"{BaseUrl(d)}/groups/{DashboardServer.GroupId}/players/{ada}/points/U2.C7");
        Assert.Equal("2 × asked for a hint; green allows at most 1",
            (await WaitForAsync(() => browser.FindElements(By.CssSelector("dd.why")).FirstOrDefault(), "U2.C7")).Text);
        Assert.Contains("counted: asked for a hint", browser.FindElement(By.CssSelector("table.events")).Text, StringComparison.Ordinal);

        // The same words in the JSON drill-down (a read already in the authorization matrix).
        using var response = await d.Server.GetAsAdminAsync($"/v1/groups/{DashboardServer.GroupId}/players/{ada}/points/U2.C7");
        using var json = await TestServer.ReadJsonAsync(response);
        Assert.Equal("2 × asked for a hint; green allows at most 1", json.RootElement.GetProperty("why")[0].GetString());
        Assert.Equal("started arguing for a hypothesis", json.RootElement.GetProperty("start").GetProperty("name").GetString());
        Assert.Equal("argued for a hypothesis", json.RootElement.GetProperty("completion").GetProperty("name").GetString());
    }

    [SkippableFact]
    public async Task Issue_11_times_show_in_the_viewers_time_zone_with_utc_in_the_tooltip()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        browser.ExecuteCdpCommand("Emulation.setTimezoneOverride", new Dictionary<string, object?> { ["timezoneId"] = "Pacific/Auckland" });
        await using var d = await DashboardServer.StartAsync();
        await PlayAsync(d);
        var ada = await d.Server.PlayerKeyAsync("ada@school.example");

        await SignInAsync(browser, $"{BaseUrl(d)}/groups/{DashboardServer.GroupId}/players/{ada}/points/U2.C2", TestServer.AdminToken, "dd.why");

        var completed = browser.FindElement(By.CssSelector("dl.facts time"));
        var utc = DateTimeOffset.Parse(completed.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture);
        var auckland = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"));
        Assert.True(ShowsClock(completed.Text, auckland), $"'{completed.Text}' shows {auckland:HH:mm:ss} in Auckland");
        Assert.Contains("GMT+13", completed.Text, StringComparison.Ordinal);
        Assert.Equal(utc.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC", completed.GetAttribute("title"));
        var cell = browser.FindElement(By.CssSelector("table.events time"));
        Assert.DoesNotContain("UTC", cell.Text, StringComparison.Ordinal);
        Screenshot(browser, "issue11-local-time.png");

        browser.Navigate().GoToUrl($"{BaseUrl(d)}/groups/{DashboardServer.GroupId}");
        var tooltip = await WaitForAsync(() => browser.FindElement(By.CssSelector($"td.cell[data-player='{ada}'][data-point='U2.C2']")).GetAttribute("title"), "the cell");
        Assert.True(ShowsClock(tooltip, auckland), $"'{tooltip}' shows {auckland:HH:mm:ss} in Auckland");
        Assert.Contains(utc.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC", tooltip, StringComparison.Ordinal);
    }

    /// <summary>The browser's locale decides between a 24-hour and a 12-hour clock.</summary>
    private static bool ShowsClock(string text, DateTimeOffset local) =>
        text.Contains(local.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        || text.Contains(local.ToString("hh:mm:ss", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        || text.Contains(local.ToString("h:mm:ss", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    [SkippableFact]
    public async Task Issue_11_the_class_list_shows_students_progress_attention_and_last_activity()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        await PlayAsync(d);

        await SignInAsync(browser, $"{BaseUrl(d)}/groups", TestServer.AdminToken, "table.groups");

        var row = browser.FindElement(By.CssSelector($"table.groups tr[data-group='{DashboardServer.GroupId}']"));
        Assert.Equal("3", row.FindElement(By.CssSelector("td.students")).Text);
        // 36 cells: Ada 1 green 3 yellow, Ben 1 green, Cleo 2 green.
        Assert.Equal("11% green · 8% yellow", row.FindElement(By.CssSelector(".share")).Text);
        Assert.Equal("2", row.FindElement(By.CssSelector("td.needing")).Text);
        var bar = row.FindElement(By.CssSelector(".bar"));
        Assert.True(Number(Js(browser, "return arguments[0].querySelector('.green').getBoundingClientRect().width;", bar)) > 0, bar.GetAttribute("outerHTML"));
        Assert.NotNull(row.FindElement(By.CssSelector("td.last time")).GetAttribute("datetime"));
        Assert.Contains("playing now", row.FindElement(By.CssSelector("td.last")).Text, StringComparison.Ordinal);
        Assert.Contains("Mission HydroSci", row.Text, StringComparison.Ordinal);
        Screenshot(browser, "issue11-groups.png");
    }

    [SkippableFact]
    public async Task Issue_11_the_student_page_speaks_to_the_student()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();
        await PlayAsync(d);
        using var created = await d.Server.SendAsync(HttpMethod.Post, "/v1/admin/keys", TestServer.AdminToken,
            JsonSerializer.Serialize(new { org = TestServer.Org, role = "student", playerId = "ada@school.example" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var key = await TestServer.ReadJsonAsync(created);

        await SignInAsync(browser, $"{BaseUrl(d)}/signin", key.RootElement.GetProperty("key").GetString()!, "ul.activity");

        var main = browser.FindElement(By.TagName("main")).Text;
        Assert.Contains("Mission HydroSci", main, StringComparison.Ordinal);
        Assert.DoesNotContain("mhs", main, StringComparison.Ordinal);
        Assert.Contains("Done, well done!", main, StringComparison.Ordinal);
        Assert.Contains("Done (next time, aim for the target)", main, StringComparison.Ordinal);
        Assert.DoesNotContain(" green", main, StringComparison.Ordinal);
        Assert.DoesNotContain("yellow", main, StringComparison.Ordinal);
        var activity = browser.FindElement(By.CssSelector("ul.activity")).Text;
        Assert.Contains("You met the crew", activity, StringComparison.Ordinal);
        Assert.Contains("You asked for a hint", activity, StringComparison.Ordinal);
        Assert.DoesNotContain("{", main, StringComparison.Ordinal);
        Assert.DoesNotContain("DialogueEvent", main, StringComparison.Ordinal);
        Screenshot(browser, "issue11-student.png");
    }

    [SkippableFact]
    public async Task Issue_11_the_header_and_the_matrix_fit_a_390_px_phone()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync(groupName: "Class 7B, science on Tuesdays and Thursdays (room 12)");
        await PlayAsync(d);
        browser.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride",
            new Dictionary<string, object?> { ["width"] = 390, ["height"] = 844, ["deviceScaleFactor"] = 1, ["mobile"] = true });

        await SignInAsync(browser, $"{BaseUrl(d)}/groups/{DashboardServer.GroupId}", TestServer.AdminToken, "table.matrix");

        Assert.Equal(390, Number(Js(browser, "return window.innerWidth;")));
        Assert.True(Number(Js(browser, "return document.querySelector('header').getBoundingClientRect().height;")) <= 56, "the top bar stays one line");
        Assert.True(browser.FindElement(By.CssSelector("header form button")).Displayed);
        Assert.True(Number(Js(browser, "return document.documentElement.scrollWidth;")) <= 390, "the page does not scroll sideways");
        Assert.True(Number(Js(browser, "return document.getElementById('matrix-scroll').getBoundingClientRect().right;")) <= 390);
        var firstCell = browser.FindElement(By.CssSelector("tbody tr:first-child td.cell"));
        Assert.True(Number(Js(browser, "return arguments[0].getBoundingClientRect().right;", firstCell)) <= 390, "a cell is visible next to the names");
        Screenshot(browser, "issue11-phone-matrix.png");

        browser.Navigate().GoToUrl($"{BaseUrl(d)}/groups");
        await WaitForAsync(() => browser.FindElements(By.CssSelector("table.groups")).FirstOrDefault(), "the class list");
        Assert.True(Number(Js(browser, "return document.documentElement.scrollWidth;")) <= 390, "the class list does not scroll sideways");
        Screenshot(browser, "issue11-phone-groups.png");
    }

    [SkippableFact]
    public async Task Issue_11_there_is_a_favicon_and_the_sign_in_page_speaks_to_teachers_and_students()
    {
        using var profile = new TempDirectory();
        using var browser = Chromium.Start(profile.Path);
        await using var d = await DashboardServer.StartAsync();

        browser.Navigate().GoToUrl($"{BaseUrl(d)}/signin");
        var status = Js(browser, "return fetch('/favicon.ico').then(r => r.status + ' ' + r.headers.get('content-type'));");

        Assert.Equal("200 image/x-icon", status);
        Assert.Equal("/favicon.ico", browser.FindElement(By.CssSelector("link[rel='icon']")).GetAttribute("href")!.Replace(BaseUrl(d), "", StringComparison.Ordinal));
        var hint = browser.FindElement(By.CssSelector(".card .sub")).Text;
        Assert.DoesNotContain("console", hint, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("development", hint, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("teacher", hint, StringComparison.Ordinal);
        Screenshot(browser, "issue11-signin.png");
    }
}
