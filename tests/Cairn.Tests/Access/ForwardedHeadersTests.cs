using System.Net;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

/// <summary>Behind a TLS proxy: forwarded headers count only from the configured proxies.</summary>
public sealed partial class ForwardedHeadersTests
{
    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>Signs in with the admin token, as a browser behind the proxy would; returns the session's Set-Cookie header.</summary>
    private static async Task<string> SessionCookieAsync(TestServer server, IReadOnlyDictionary<string, string> forwarded)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };
        using var page = new HttpRequestMessage(HttpMethod.Get, "/signin");
        foreach (var (name, value) in forwarded)
        {
            page.Headers.Add(name, value);
        }
        using var form = await http.SendAsync(page);
        var csrfCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cairn_signin=", StringComparison.Ordinal)).Split(';')[0];
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/groups", ["_csrf"] = csrf, ["token"] = TestServer.AdminToken }),
        };
        post.Headers.Add("Cookie", csrfCookie);
        foreach (var (name, value) in forwarded)
        {
            post.Headers.Add(name, value);
        }
        using var signIn = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cairn_session=", StringComparison.Ordinal));
    }

    private static readonly Dictionary<string, string> ViaHttps = new() { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "203.0.113.7" };

    [Fact]
    public async Task Issue_7_the_session_cookie_is_secure_when_a_trusted_proxy_says_https()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Http:TrustedProxies:0"] = "127.0.0.0/8" });

        var cookie = await SessionCookieAsync(server, ViaHttps);
        var plain = await SessionCookieAsync(server, new Dictionary<string, string>());

        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", plain, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Issue_7_forwarded_headers_from_an_untrusted_address_are_ignored()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Http:TrustedProxies:0"] = "10.1.2.3" });

        var cookie = await SessionCookieAsync(server, ViaHttps);

        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Issue_7_behind_a_trusted_proxy_failures_are_counted_per_forwarded_client()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Http:TrustedProxies:0"] = "127.0.0.1",
            ["Http:TrustedProxies:1"] = "::1",
            ["Access:FailuresBeforeBackoff"] = "3",
            ["Access:BackoffSeconds"] = "60",
        });
        async Task<HttpStatusCode> GetAsync(string client, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/groups");
            request.Headers.Add("X-Forwarded-For", client);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await server.Http.SendAsync(request);
            return response.StatusCode;
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("203.0.113.7", "crt_guess" + i));
        }
        var guesser = await GetAsync("203.0.113.7", TestServer.AdminToken);
        var neighbour = await GetAsync("203.0.113.8", TestServer.AdminToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, guesser);
        Assert.Equal(HttpStatusCode.OK, neighbour);
    }
}
