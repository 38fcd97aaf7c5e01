using System.Net;
using System.Text.RegularExpressions;
using Cairn.Hosting;
using Cairn.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace Cairn.Tests.Access;

/// <summary>Two servers on one store (as behind a load balancer): a session opened on one works on the other.</summary>
public sealed partial class SessionsAcrossServersTests
{
    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    [Fact]
    public async Task A_session_opened_on_one_server_is_known_to_another_server_on_the_same_store()
    {
        await using var first = await TestServer.StartAsync();
        await using var second = CairnServer.Build(new ServeSettings
        {
            DataDirectory = first.DataDirectory,
            Port = 0,
            CatalogsDirectory = first.CatalogsDirectory,
            Overrides = new Dictionary<string, string?>
            {
                ["Access:AdminToken"] = TestServer.AdminToken,
                ["Identity:Pepper"] = TestServer.Pepper,
                ["Logging:LogLevel:Default"] = "Warning",
            },
        }, TextWriter.Null);
        await second.StartAsync();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var firstUrl = first.Http.BaseAddress!;
        var secondUrl = CairnServer.ListeningAddress(second);
        using var form = await browser.GetAsync(new Uri(firstUrl, "/signin"));
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
        using (var signIn = await browser.PostAsync(new Uri(firstUrl, "/signin"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/groups", ["_csrf"] = csrf, ["token"] = TestServer.AdminToken,
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        // The cookie was set for the first server's address; the second listens on another port of the same host.
        foreach (Cookie cookie in cookies.GetCookies(firstUrl))
        {
            cookies.Add(secondUrl, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        using var onSecond = await browser.GetAsync(new Uri(secondUrl, "/groups"));
        using var apiOnSecond = await browser.GetAsync(new Uri(secondUrl, "/v1/groups"));

        Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        Assert.Equal(HttpStatusCode.OK, apiOnSecond.StatusCode);
        await second.StopAsync();
    }
}
