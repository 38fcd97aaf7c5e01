using System.Net;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.Access;

/// <summary>Guessing tokens is slowed down per client address; a production start needs a strong admin token.</summary>
public sealed partial class FailureThrottleTests
{
    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>Free failures as configured, and a first back-off long enough that no test can outwait it by accident.</summary>
    private static Task<TestServer> StartAsync() => TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Access:FailuresBeforeBackoff"] = "10",
        ["Access:BackoffSeconds"] = "60",
    });

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        return response.StatusCode;
    }

    [Fact]
    public async Task Issue_7_after_the_free_failures_wrong_tokens_get_429_and_even_the_right_one_must_wait()
    {
        await using var server = await StartAsync();

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            wrong.Add(await StatusAsync(server.SendAsync(HttpMethod.Get, "/v1/groups", "crt_guess" + i, null)));
        }
        using var next = await server.SendAsync(HttpMethod.Get, "/v1/groups", "crt_guess-again", null);
        var right = await StatusAsync(server.SendAsync(HttpMethod.Get, "/v1/groups", TestServer.AdminToken, null));
        var ingest = await StatusAsync(server.PostEventsAsync(Events.Array(Events.Canonical(Events.NewId()))));
        var anonymous = await StatusAsync(server.Http.GetAsync("/health/live"));

        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
        Assert.True(next.Headers.RetryAfter?.Delta is { TotalSeconds: > 1 }, $"Retry-After: {next.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, right);
        Assert.Equal(HttpStatusCode.TooManyRequests, ingest);
        Assert.Equal(HttpStatusCode.OK, anonymous);
    }

    [Fact]
    public async Task Issue_7_failed_sign_ins_count_too()
    {
        await using var server = await StartAsync();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };
        async Task<HttpStatusCode> SignInAsync(string token)
        {
            using var form = await browser.GetAsync("/signin");
            var csrf = WebUtility.HtmlDecode(CsrfField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
            using var response = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["returnUrl"] = "/groups", ["_csrf"] = csrf, ["token"] = token,
            }));
            return response.StatusCode;
        }

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            wrong.Add(await SignInAsync("cat_guess" + i));
        }
        var right = await SignInAsync(TestServer.AdminToken);

        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, right);
    }

    [Fact]
    public async Task Issue_7_a_production_start_refuses_a_short_admin_token()
    {
        using var root = new TempDirectory();

        var refused = await CairnCli.RunAsync(root.Path, new Dictionary<string, string> { ["CAIRN_ADMIN_TOKEN"] = "x" },
            "serve", "--production", "--port", "0", "--data", root.Combine("data"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("at least 22 random characters", refused.Error, StringComparison.Ordinal);
    }
}
