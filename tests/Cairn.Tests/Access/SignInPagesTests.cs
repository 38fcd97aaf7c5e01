using System.Net;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

/// <summary>The pages over real HTTP with a cookie jar, as a browser would use them.</summary>
public sealed partial class SignInPagesTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    private sealed class Browser(HttpClient http, CookieContainer cookies) : IDisposable
    {
        public HttpClient Http { get; } = http;

        public CookieContainer Cookies { get; } = cookies;

        public void Dispose() => Http.Dispose();
    }

    private Browser NewBrowser()
    {
        var cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        return new Browser(new HttpClient(handler) { BaseAddress = world.Server.Http.BaseAddress }, cookies);
    }

    private static async Task<string> CsrfOfAsync(HttpResponseMessage page)
    {
        var match = CsrfField().Match(await page.Content.ReadAsStringAsync());
        Assert.True(match.Success, "the page has no _csrf field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> SignInAsync(Browser browser, string token, bool withCookie = true)
    {
        using var form = await browser.Http.GetAsync("/signin");
        var csrf = await CsrfOfAsync(form);
        if (!withCookie)
        {
            foreach (Cookie cookie in browser.Cookies.GetAllCookies())
            {
                cookie.Expired = true;
            }
        }
        return await browser.Http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/groups", ["_csrf"] = csrf, ["token"] = token,
        }));
    }

    [Fact]
    public async Task Revoking_a_token_ends_the_browser_sessions_it_opened()
    {
        var token = await world.CreateTokenAsync(new { org = AccessWorld.OrgA, role = "teacher", teachers = new[] { "t1" } });
        using var browser = NewBrowser();
        using (await SignInAsync(browser, token))
        using (var before = await browser.Http.GetAsync("/groups/g1"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        using var keys = await world.Server.GetAsAdminAsync("/v1/admin/keys");
        using var list = System.Text.Json.JsonDocument.Parse(await keys.Content.ReadAsStringAsync());
        var id = list.RootElement.GetProperty("keys").EnumerateArray().Last(k => k.TryGetProperty("role", out var role) && role.GetString() == "teacher").GetProperty("id").GetString();

        using var revoke = await world.Server.SendAsync(HttpMethod.Delete, $"/v1/admin/keys/{id}", TestServer.AdminToken, null);
        using var after = await browser.Http.GetAsync("/groups/g1");
        using var api = await browser.Http.GetAsync("/v1/groups/g1/progress");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_teacher_sees_only_their_own_groups()
    {
        using var browser = NewBrowser();

        using var signIn = await SignInAsync(browser, world.Tokens["teacher-t1"]);
        using var groups = await browser.Http.GetAsync("/groups");
        using var other = await browser.Http.GetAsync("/groups/g2");
        using var own = await browser.Http.GetAsync("/groups/g1");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/groups", signIn.Headers.Location?.OriginalString);
        var html = await groups.Content.ReadAsStringAsync();
        Assert.Contains("href=\"/groups/g1?org=" + AccessWorld.OrgA + "\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/groups/g2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/groups/gb", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.DoesNotContain("Cleo Costa", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_student_lands_on_their_own_page_with_only_their_data()
    {
        using var browser = NewBrowser();

        using var signIn = await SignInAsync(browser, world.Tokens["student"]);
        using var me = await browser.Http.GetAsync("/me");
        using var groups = await browser.Http.GetAsync("/groups/g1");

        Assert.Equal("/me", signIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var html = await me.Content.ReadAsStringAsync();
        Assert.Contains("Ada Adams", html, StringComparison.Ordinal);
        foreach (var (_, group) in AccessWorld.Groups)
        {
            Assert.All(group.Members.Where(m => m.Id != AccessWorld.Student), m => Assert.DoesNotContain(m.Name, html, StringComparison.Ordinal));
        }
        Assert.Equal(HttpStatusCode.NotFound, groups.StatusCode);
    }

    [Fact]
    public async Task Sign_out_needs_the_sessions_anti_forgery_token()
    {
        using var browser = NewBrowser();
        using (await SignInAsync(browser, world.Tokens["teacher-t1"]))
        {
        }
        using var page = await browser.Http.GetAsync("/groups");
        var csrf = await CsrfOfAsync(page);

        using var forged = await browser.Http.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        using var wrong = await browser.Http.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["_csrf"] = "not-it" }));
        using var stillIn = await browser.Http.GetAsync("/groups");
        using var signOut = await browser.Http.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["_csrf"] = csrf }));
        using var after = await browser.Http.GetAsync("/groups");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_matching_cookie_is_refused()
    {
        using var browser = NewBrowser();

        using var signIn = await SignInAsync(browser, world.Tokens["teacher-t1"], withCookie: false);
        using var groups = await browser.Http.GetAsync("/groups");

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("The form expired", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "cairn_session" && !c.Expired);
        Assert.Equal(HttpStatusCode.Redirect, groups.StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_never_authorizes_a_change()
    {
        using var browser = NewBrowser();
        using (await SignInAsync(browser, world.Tokens["admin"]))
        {
        }

        using var read = await browser.Http.GetAsync("/v1/groups/g1");
        using var write = await browser.Http.PutAsync("/v1/players/consent",
            new StringContent("{\"org\":\"org-test\",\"playerId\":\"x@y\",\"consent\":\"opted-out\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    [Theory]
    [InlineData("/%09/evil.example/login")]
    [InlineData("/%0A/evil.example/login")]
    [InlineData("/%0D%0ALocation:%20https://evil.example/")]
    [InlineData("/%5Cevil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/%20/evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Issue_7_a_return_url_that_could_leave_the_site_goes_to_the_class_list(string returnUrl)
    {
        using var browser = NewBrowser();

        using var form = await browser.Http.GetAsync("/signin?returnUrl=" + returnUrl);
        var field = WebUtility.HtmlDecode(ReturnUrlField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
        using var signIn = await browser.Http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = Uri.UnescapeDataString(returnUrl), ["_csrf"] = await CsrfOfAsync(form), ["token"] = world.Tokens["teacher-t1"],
        }));

        Assert.Equal("/groups", field);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/groups", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Issue_7_a_return_url_on_the_site_is_kept()
    {
        using var browser = NewBrowser();

        using var form = await browser.Http.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString("/groups/g1?x=1"));
        using var signIn = await browser.Http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/groups/g1?x=1", ["_csrf"] = await CsrfOfAsync(form), ["token"] = world.Tokens["teacher-t1"],
        }));

        Assert.Equal("/groups/g1?x=1", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Issue_7_pages_and_api_answers_are_not_cached_framed_or_sniffed()
    {
        using var browser = NewBrowser();
        using (await SignInAsync(browser, world.Tokens["teacher-t1"]))
        {
        }

        using var signInPage = await browser.Http.GetAsync("/signin");
        using var matrixPage = await browser.Http.GetAsync("/groups/g1");
        using var api = await world.Server.SendAsync(HttpMethod.Get, "/v1/groups/g1/progress", world.Tokens["teacher-t1"], null);
        using var refused = await world.Server.SendAsync(HttpMethod.Get, "/v1/groups/g1/progress", "", null);
        using var asset = await browser.Http.GetAsync("/static/cairn.css");

        foreach (var response in new[] { signInPage, matrixPage, api, refused })
        {
            var what = response.RequestMessage!.RequestUri!.PathAndQuery + " " + (int)response.StatusCode;
            Assert.True(response.Headers.CacheControl?.NoStore == true, what + ": Cache-Control " + response.Headers.CacheControl);
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
            Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, matrixPage.StatusCode);
        Assert.DoesNotContain("style=", await matrixPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(asset.Headers.CacheControl?.NoStore ?? false);
    }
}
