using System.Diagnostics;
using System.Text.Json;
using Cairn.Hosting;
using Cairn.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Cairn.Tests.Sdk;

/// <summary>
/// A web game's page on its own origin (a second loopback server, another port than Cairn's: a real cross-origin
/// setup) loading clients/js/cairn.js as it is, in a real headless Chromium whose profile (IndexedDB) lasts the test.
/// </summary>
internal sealed class SdkPage : IAsyncDisposable
{
    private const string Html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>sdk</title></head><body>
        <script type="module">
        import * as sdk from "./cairn.js";
        window.sdk = sdk;
        window.sdkLoaded = true;
        </script>
        </body></html>
        """;

    private readonly WebApplication _site;
    private readonly TempDirectory _profile;

    private SdkPage(WebApplication site, ChromeDriver driver, TempDirectory profile)
    {
        _site = site;
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    /// <summary>The page's origin (what <c>Http:CorsOrigins</c> must list).</summary>
    public string Origin => CairnServer.ListeningAddress(_site).GetLeftPart(UriPartial.Authority);

    public static async Task<SdkPage> StartAsync()
    {
        var script = Path.Combine(SharedData.RepositoryRoot(), "clients", "js", "cairn.js");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var site = builder.Build();
        site.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8"));
        site.MapGet("/cairn.js", () => Results.Content(File.ReadAllText(script), "text/javascript; charset=utf-8"));
        await site.StartAsync();
        var profile = new TempDirectory();
        try
        {
            var driver = Chromium.Start(profile.Path);
            driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(90);
            var page = new SdkPage(site, driver, profile);
            page.Open();
            return page;
        }
        catch
        {
            await site.DisposeAsync();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>Loads (or reloads) the page and waits for the module.</summary>
    public void Open()
    {
        Driver.Navigate().GoToUrl(Origin + "/");
        var clock = Stopwatch.StartNew();
        while (Driver.ExecuteScript("return window.sdkLoaded === true;") is not true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "cairn.js never loaded on the page");
            Thread.Sleep(50);
        }
    }

    /// <summary>Runs an async JavaScript body (which may <c>await</c> and <c>return</c>) and gives its JSON result.</summary>
    public JsonElement Run(string body)
    {
        var script = "const done = arguments[arguments.length - 1];\n(async () => {\n" + body +
            "\n})().then(v => done(JSON.stringify({ ok: v === undefined ? null : v })), e => done(JSON.stringify({ error: String(e && e.stack || e) })));";
        var text = Driver.ExecuteAsyncScript(script) as string ?? "{\"error\":\"no answer\"}";
        var result = JsonDocument.Parse(text).RootElement.Clone();
        Assert.False(result.TryGetProperty("error", out var error), "the page threw: " + error);
        return result.GetProperty("ok");
    }

    /// <summary>Waits until a condition on the page holds (e.g. the queue emptied by the timer).</summary>
    public async Task WaitForAsync(string condition, string what, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (Driver.ExecuteScript("return !!(" + condition + ");") is not true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            await _site.DisposeAsync();
            _profile.Dispose();
        }
    }
}
