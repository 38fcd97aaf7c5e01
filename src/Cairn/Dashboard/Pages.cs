using System.Reflection;
using System.Text;
using Cairn.Access;

namespace Cairn.Dashboard;

/// <summary>
/// The web pages (server-rendered, no build step): sign in, the group list, the live class matrix, and the
/// drill-down of one cell. Static assets are embedded in the executable.
/// </summary>
internal static partial class Pages
{
    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["cairn.css"] = ("Cairn.Dashboard.Assets.cairn.css", "text/css; charset=utf-8"),
        ["matrix.js"] = ("Cairn.Dashboard.Assets.matrix.js", "text/javascript; charset=utf-8"),
        ["time.js"] = ("Cairn.Dashboard.Assets.time.js", "text/javascript; charset=utf-8"),
        ["mastery.js"] = ("Cairn.Dashboard.Assets.mastery.js", "text/javascript; charset=utf-8"),
        ["favicon.ico"] = ("Cairn.Dashboard.Assets.favicon.ico", "image/x-icon"),
    };

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        // The pages are for browsers (HTML; a page needs the session cookie of /signin and redirects there without one).
        app.MapGet("/", () => Results.Redirect("/groups")).WithTags("Pages").WithName("home").WithSummary("Redirects to /groups.")
            .Produces(StatusCodes.Status302Found);
        app.MapGet("/static/{name}", Asset).WithTags("Pages").WithName("getAsset").WithSummary("The pages' script and style sheet.")
            .Produces<string>(StatusCodes.Status200OK, "text/javascript", "text/css").Produces(StatusCodes.Status404NotFound);
        // Browsers ask for /favicon.ico on every page whatever the page says.
        app.MapGet("/favicon.ico", () => Asset("favicon.ico")).WithTags("Pages").WithName("getFavicon").WithSummary("The site's icon.")
            .Produces(StatusCodes.Status200OK, contentType: "image/x-icon");
        app.MapGet("/signin", (HttpContext http, string? returnUrl) => SignInPage(http, returnUrl, error: null))
            .WithTags("Pages").WithName("signInPage").WithSummary("The sign-in form (HTML).").Produces<string>(StatusCodes.Status200OK, "text/html");
        // A sign-in form is tiny; nobody is authenticated before it is read, so it may not be large.
        app.MapPost("/signin", SignInAsync).DisableAntiforgery().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(FormBodyBytes))
            .WithTags("Pages").WithName("signIn")
            .WithSummary("Signs in with a token (form fields token, returnUrl and _csrf): a session cookie and a redirect, or (401) the form again with the error.")
            .WithMetadata(Hosting.OpenApiDescription.RequestBody.Form).Produces(StatusCodes.Status302Found)
            .Produces<string>(StatusCodes.Status401Unauthorized, "text/html").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        app.MapPost("/signout", SignOut).DisableAntiforgery().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(FormBodyBytes))
            .WithTags("Pages").WithName("signOut").WithSummary("Ends the browser session (form with the anti-forgery field) and redirects to /signin.")
            .WithMetadata(Hosting.OpenApiDescription.RequestBody.Form).Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        app.MapGet("/groups", GroupsPageAsync).WithTags("Pages").WithName("groupsPage").WithSummary("The classes the session covers (HTML).")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found);
        app.MapGet("/groups/{groupId}", MatrixPageAsync).WithTags("Pages").WithName("matrixPage").WithSummary("A class's live matrix (HTML).")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status404NotFound);
        app.MapGet("/groups/{groupId}/mastery", MasteryPageAsync).WithTags("Pages").WithName("masteryPage")
            .WithSummary("A class's mastery heat map: students × standards, by level (HTML).")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status404NotFound);
        app.MapGet("/groups/{groupId}/players/{playerKey}/points/{pointId}", DrillDownPageAsync).WithTags("Pages").WithName("drillDownPage")
            .WithSummary("One cell of a class's matrix and the events that decided it (HTML).")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status404NotFound);
        app.MapGet("/games/{game}", GamePageAsync).WithTags("Pages").WithName("gamePage")
            .WithSummary("A game for its designers: active now, achievements earned, leaderboards, most and least visited content (HTML).")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found).Produces(StatusCodes.Status404NotFound);
        app.MapGet("/me", MyPageAsync).WithTags("Pages").WithName("myPage").WithSummary("A student's own progress and recent events (HTML).")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found);
        return app;
    }

    private static IResult Asset(string name)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(asset.Resource)!;
        return Results.Stream(stream, asset.ContentType);
    }

    private const string SignInCsrfCookie = "cairn_signin";

    /// <summary>Largest sign-in or sign-out form body (a token and two hidden fields).</summary>
    public const int FormBodyBytes = 16 * 1024;

    /// <summary>The sign-in form carries a one-off token that must match a SameSite=Strict cookie (no login CSRF).</summary>
    private static IResult SignInPage(HttpContext http, string? returnUrl, string? error)
    {
        var csrf = SecretHash.NewSecret("");
        http.Response.Cookies.Append(SignInCsrfCookie, csrf, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/signin", MaxAge = TimeSpan.FromHours(1),
        });
        return Html.Page("Sign in", $"""
            <div class="card"><h2>Sign in</h2>
            <p class="sub">Paste the access token you were given: your teacher gives students theirs, the school's Cairn administrator gives teachers theirs.</p>
            {(error is null ? "" : $"<p class=\"error\">{Html.E(error)}</p>")}
            <form class="signin" method="post" action="/signin">
              <input type="hidden" name="returnUrl" value="{Html.E(LocalOnly(returnUrl))}">
              <input type="hidden" name="_csrf" value="{Html.E(csrf)}">
              <input type="password" name="token" autocomplete="off" placeholder="token" required autofocus>
              <button type="submit">Sign in</button>
            </form></div>
            """, csrf: null, status: error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, ApiKeys keys, Sessions sessions, FailureThrottle throttle)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.BadRequest();
        }
        // Nothing is read from a post that does not come from our form (it sets this cookie).
        if (http.Request.Cookies[SignInCsrfCookie] is not { Length: > 0 } expected)
        {
            return SignInPage(http, null, "The form expired; sign in again.");
        }
        if (await ReadFormAsync(http) is not { } form)
        {
            return Results.BadRequest();
        }
        var returnUrl = LocalOnly(form["returnUrl"].ToString());
        if (!FixedEquals(expected, form["_csrf"].ToString()))
        {
            return SignInPage(http, returnUrl, "The form expired; sign in again.");
        }
        var token = form["token"].ToString().Trim();
        var caller = token.Length is > 0 and < 200 ? await keys.IdentifyAsync(token, http.RequestAborted) : null;
        if (caller is null or Caller.IngestKey)
        {
            throttle.Failed(http.Connection.RemoteIpAddress);
            return SignInPage(http, returnUrl, "That token is not valid here.");
        }
        http.Response.Cookies.Delete(SignInCsrfCookie, new CookieOptions { Path = "/signin" });
        http.Response.Cookies.Append(Sessions.CookieName, await sessions.CreateAsync(token, http.RequestAborted), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            // Https as the client saw it: behind a trusted proxy (Http:TrustedProxies) that is its X-Forwarded-Proto.
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = Sessions.Lifetime,
        });
        return Results.Redirect(caller is Caller.Reader { Role: Roles.Student } ? "/me" : returnUrl);
    }

    /// <summary>The posted form, or null when it is not a well-formed one.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext http)
    {
        try
        {
            return await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Sign-out changes state, so it needs the session's anti-forgery token too.</summary>
    private static async Task<IResult> SignOut(HttpContext http, Sessions sessions)
    {
        if (http.Request.Cookies[Sessions.CookieName] is { } session)
        {
            // The session is checked before the body is read.
            if (await sessions.CsrfTokenAsync(session, http.RequestAborted) is not { } expected || !http.Request.HasFormContentType
                || await ReadFormAsync(http) is not { } form || !FixedEquals(expected, form["_csrf"].ToString()))
            {
                return Results.BadRequest();
            }
            await sessions.EndAsync(session, http.RequestAborted);
        }
        http.Response.Cookies.Delete(Sessions.CookieName, new CookieOptions { Path = "/" });
        return Results.Redirect("/signin");
    }

    private static bool FixedEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>
    /// Only a path on this site may be a redirect target (no open redirect): a relative URL with no scheme and no authority,
    /// and no control character, space or backslash, which browsers strip or read as '/' (so "/\t/evil.example" would
    /// become "//evil.example"). Anything else goes to the group list.
    /// </summary>
    internal static string LocalOnly(string? url)
    {
        const string fallback = "/groups";
        if (url is not { Length: > 0 and <= 2048 } || url[0] != '/' || (url.Length > 1 && url[1] == '/')
            || url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            || !Uri.TryCreate(url, UriKind.Relative, out _))
        {
            return fallback;
        }
        // Resolved against a stand-in origin, the URL must stay on it.
        var origin = new Uri("http://cairn.invalid/");
        return Uri.TryCreate(origin, url, out var resolved) && resolved.Scheme == origin.Scheme && resolved.Authority == origin.Authority
            ? url
            : fallback;
    }

    /// <summary>The signed-in caller and the session's anti-forgery token, or a redirect to sign in.</summary>
    private static async Task<(Caller? Caller, string Csrf, IResult? Redirect)> SignedInAsync(HttpContext http)
    {
        var caller = await Authentication.CallerAsync(http, http.RequestServices.GetRequiredService<ApiKeys>());
        var csrf = http.Request.Cookies[Sessions.CookieName] is { } session
            ? await http.RequestServices.GetRequiredService<Sessions>().CsrfTokenAsync(session, http.RequestAborted)
            : null;
        return caller is null or Caller.IngestKey || csrf is null
            ? (null, "", Results.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)))
            : (caller, csrf, null);
    }
}
