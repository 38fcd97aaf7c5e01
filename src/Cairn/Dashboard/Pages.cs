using Cairn.Progress.Storage;
using System.Globalization;
using System.Reflection;
using System.Text;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Dashboard;

/// <summary>
/// The web pages (server-rendered, no build step): sign in, the group list, the live class matrix, and the
/// drill-down of one cell. Static assets are embedded in the executable.
/// </summary>
internal static class Pages
{
    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["cairn.css"] = ("Cairn.Dashboard.Assets.cairn.css", "text/css; charset=utf-8"),
        ["matrix.js"] = ("Cairn.Dashboard.Assets.matrix.js", "text/javascript; charset=utf-8"),
    };

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        // The pages are for browsers (HTML; a page needs the session cookie of /signin and redirects there without one).
        app.MapGet("/", () => Results.Redirect("/groups")).WithTags("Pages").WithName("home").WithSummary("Redirects to /groups.")
            .Produces(StatusCodes.Status302Found);
        app.MapGet("/static/{name}", Asset).WithTags("Pages").WithName("getAsset").WithSummary("The pages' script and style sheet.")
            .Produces<string>(StatusCodes.Status200OK, "text/javascript", "text/css").Produces(StatusCodes.Status404NotFound);
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
        app.MapGet("/groups/{groupId}/players/{playerKey}/points/{pointId}", DrillDownPageAsync).WithTags("Pages").WithName("drillDownPage")
            .WithSummary("One cell of a class's matrix and the events that decided it (HTML).")
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
            <p class="sub">Paste your access token (a teacher, admin or student token; on a development start, the admin token is printed on the console).</p>
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

    private static async Task<IResult> GroupsPageAsync(HttpContext http, Scopes scopes, CancellationToken cancellationToken)
    {
        var (caller, csrf, redirect) = await SignedInAsync(http);
        if (redirect is not null)
        {
            return redirect;
        }
        if (caller is Caller.Reader { Role: Roles.Student })
        {
            return Results.Redirect("/me");
        }
        var groups = await scopes.VisibleGroupsAsync(caller!, cancellationToken);
        var body = new StringBuilder("<h1>Classes</h1><p class=\"sub\">Open a class to see its progress matrix, live.</p><ul class=\"groups\">");
        foreach (var g in groups)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/groups/{Uri.EscapeDataString(g.Id)}?org={Uri.EscapeDataString(g.OrgId)}\">{Html.E(g.Name)}</a> <span class=\"sub\">{Html.E(g.Game)} · {Html.E(g.OrgId)}</span></li>");
        }
        if (groups.Count == 0)
        {
            body.Append("<li class=\"sub\">No classes yet: create one with POST /v1/groups, or start with --demo.</li>");
        }
        body.Append("</ul>");
        return Html.Page("Classes", body.ToString(), csrf);
    }

    private static async Task<IResult> MatrixPageAsync(
        HttpContext http, string groupId, string? org, Scopes scopes, MatrixReader reader, CancellationToken cancellationToken)
    {
        var (caller, csrf, redirect) = await SignedInAsync(http);
        if (redirect is not null)
        {
            return redirect;
        }
        var lookup = await scopes.FindGroupAsync(caller!, groupId, org, cancellationToken);
        if (lookup.Group is not { } group)
        {
            return lookup.Ambiguous
                ? Html.Page("Which class?", $"<p>{Html.E(lookup.AmbiguousDetail(groupId))}</p>", csrf, StatusCodes.Status400BadRequest)
                : Html.Page("Not found", "<p>No such class.</p>", csrf, StatusCodes.Status404NotFound);
        }
        var matrix = await reader.ReadAsync(group, cancellationToken);
        return Html.Page(group.Name, RenderMatrix(matrix), csrf, headerExtra: "<span id=\"live\" class=\"live off\">connecting</span>");
    }

    internal static string RenderMatrix(Matrix m)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(m.Group.Name)}</h1><p class=\"sub\">{m.Players.Count} students · {m.Points.Count} progress points · game {Html.E(m.Group.Game)}</p>");
        html.Append("<div class=\"legend\"><span><span class=\"cell green\">✓</span>done, on target</span>")
            .Append("<span><span class=\"cell yellow\">◐</span>done, needed more (time, help or tries)</span>")
            .Append("<span><span class=\"cell white\"></span>not yet</span><span>Click a cell for the events behind it.</span></div>");

        // Column groups: the catalog's units in order, then points without a unit.
        var columns = new List<(string Id, string Title, List<(MatrixPoint Point, int Index)> Points)>();
        foreach (var unit in m.Units)
        {
            columns.Add((unit.Id, unit.Title ?? unit.Id, []));
        }
        for (var i = 0; i < m.Points.Count; i++)
        {
            var point = m.Points[i];
            var column = columns.FindIndex(c => c.Id == point.Unit);
            if (column < 0)
            {
                columns.Add((point.Unit ?? "", point.Unit ?? "Other", []));
                column = columns.Count - 1;
            }
            columns[column].Points.Add((point, i));
        }
        columns.RemoveAll(c => c.Points.Count == 0);

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"scroll\"><table class=\"matrix\" data-group=\"{Html.E(m.Group.Id)}\" data-org=\"{Html.E(m.Group.OrgId)}\" data-cursor=\"{Html.E(m.Cursor)}\"><thead><tr><th rowspan=\"2\">Student</th>");
        foreach (var column in columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th class=\"unit\" colspan=\"{column.Points.Count}\" data-unit=\"{Html.E(column.Id)}\">{Html.E(column.Title)}<span class=\"count\"></span></th>");
        }
        html.Append("</tr><tr>");
        foreach (var column in columns)
        {
            foreach (var (point, _) in column.Points)
            {
                html.Append(CultureInfo.InvariantCulture, $"<th title=\"{Html.E(point.Title)}\">{Html.E(point.Id)}</th>");
            }
        }
        html.Append("</tr></thead><tbody>");
        for (var p = 0; p < m.Players.Count; p++)
        {
            var player = m.Players[p];
            html.Append(CultureInfo.InvariantCulture, $"<tr data-player=\"{Html.E(player.PlayerKey)}\"><th>{Html.E(player.DisplayName)}</th>");
            foreach (var column in columns)
            {
                for (var k = 0; k < column.Points.Count; k++)
                {
                    var (point, index) = column.Points[k];
                    var cell = m.Cells[p][index];
                    var href = $"/groups/{Uri.EscapeDataString(m.Group.Id)}/players/{Uri.EscapeDataString(player.PlayerKey)}/points/{Uri.EscapeDataString(point.Id)}?org={Uri.EscapeDataString(m.Group.OrgId)}";
                    html.Append(CultureInfo.InvariantCulture,
                        $"<td class=\"cell {cell.Status}{(k == 0 ? " first" : "")}\" data-player=\"{Html.E(player.PlayerKey)}\" data-point=\"{Html.E(point.Id)}\" data-unit=\"{Html.E(column.Id)}\" data-status=\"{cell.Status}\" data-point-title=\"{Html.E(point.Id + " " + (point.Title ?? ""))}\" title=\"{Html.E(Tooltip(point, cell))}\"><a href=\"{Html.E(href)}\">{Symbol(cell.Status)}</a></td>");
                }
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div><script src=\"/static/matrix.js\"></script>");
        return html.ToString();
    }

    private static string Symbol(string status) => status switch
    {
        "green" => "✓",
        "yellow" => "◐",
        _ => "",
    };

    private static string Tooltip(MatrixPoint point, MatrixCell cell)
    {
        var parts = new List<string> { point.Id + " " + (point.Title ?? ""), cell.Status == "white" ? "not yet" : cell.Status };
        if (cell.Score is { } score)
        {
            parts.Add("score " + score.ToString("0.#", CultureInfo.InvariantCulture));
        }
        if (cell.CompletedAt is { } at)
        {
            parts.Add("completed " + at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        }
        return string.Join(" · ", parts);
    }

    private static async Task<IResult> DrillDownPageAsync(
        HttpContext http, string groupId, string playerKey, string pointId, string? org, Stores store, IProgressStore progress, Scopes scopes, CatalogRegistry catalogs,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (caller, csrf, redirect) = await SignedInAsync(http);
        if (redirect is not null)
        {
            return redirect;
        }
        var group = (await scopes.FindGroupAsync(caller!, groupId, org, cancellationToken)).Group;
        var d = group is not null ? await MatrixApi.ExplainAsync(group, playerKey, pointId, store, progress, catalogs, time, cancellationToken) : null;
        if (d is null)
        {
            return Html.Page("Not found", "<p>No such class, student or point.</p>", csrf, StatusCodes.Status404NotFound);
        }
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/groups/{Uri.EscapeDataString(groupId)}?org={Uri.EscapeDataString(group!.OrgId)}\">← back to the class</a></p>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><h1>{Html.E(d.DisplayName)} · {Html.E(d.Point.Id)}</h1><p class=\"sub\">{Html.E(d.Point.Title)}</p><dl class=\"facts\">");
        html.Append(CultureInfo.InvariantCulture, $"<dt>Status</dt><dd><span class=\"cell badge {d.Status}\">{Symbol(d.Status)}</span> {(d.Status == "white" ? "not yet" : d.Status)}</dd>");
        if (d.DurationSeconds is { } duration)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Time taken</dt><dd>{TimeSpan.FromSeconds(Math.Round(duration)):c}</dd>");
        }
        if (d.Count is { } count)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Counted events</dt><dd>{count}</dd>");
        }
        if (d.CompletedAt is { } completed)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Completed</dt><dd>{completed:yyyy-MM-dd HH:mm:ss} UTC</dd>");
        }
        html.Append("</dl></div><div class=\"card\"><h2>The events that decided this cell</h2><table class=\"events\"><tr><th>Role</th><th>Time (UTC)</th><th>Event</th><th>Data</th></tr>");
        void Row(string role, MatrixApi.DrillEvent? e)
        {
            if (e is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{role}</td><td>{e.Timestamp:yyyy-MM-dd HH:mm:ss}</td><td>{Html.E(e.EventType)}</td><td><code>{Html.E(e.Data.GetRawText())}</code></td></tr>");
            }
        }
        Row("reset before", d.Reset);
        Row("start", d.Start);
        foreach (var e in d.Counted)
        {
            Row("counted", e);
        }
        Row("completion", d.Completion);
        if (d.Reset is null && d.Start is null && d.Completion is null && d.Counted.Count == 0)
        {
            html.Append("<tr><td colspan=\"4\" class=\"sub\">No event has decided this cell yet.</td></tr>");
        }
        html.Append("</table></div>");
        return Html.Page($"{d.DisplayName} · {d.Point.Id}", html.ToString(), csrf);
    }

    /// <summary>A student's own page: their progress in every game, and their recent events.</summary>
    private static async Task<IResult> MyPageAsync(HttpContext http, Stores store, IProgressStore progress, CatalogRegistry catalogs, CancellationToken cancellationToken)
    {
        var (caller, csrf, redirect) = await SignedInAsync(http);
        if (redirect is not null)
        {
            return redirect;
        }
        if (caller is not Caller.Reader { Role: Roles.Student, PlayerKey: { } self })
        {
            return Results.Redirect("/groups");
        }
        var player = await store.Directory.GetPlayerAsync(self, cancellationToken);
        var rows = await progress.GetPlayerProgressAsync(self, null, cancellationToken);
        var events = await store.Events.GetTimelineAsync(new TimelineQuery(self, null, null, 50, null), cancellationToken);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(player?.DisplayName ?? "My progress")}</h1><p class=\"sub\">Your progress and your recent activity. Nobody else's data is shown here.</p>");
        foreach (var game in rows.Select(r => r.Game).Distinct())
        {
            var catalog = catalogs.Current.For(game);
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><h2>{Html.E(game)}</h2><table class=\"events\"><tr><th>Point</th><th>Status</th><th>Completed (UTC)</th></tr>");
            foreach (var point in catalog?.Points ?? [])
            {
                var row = rows.FirstOrDefault(r => r.Game == game && r.PointId == point.Id);
                var status = row?.Status ?? "white";
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{Html.E(point.Id)} {Html.E(point.Title)}</td><td><span class=\"cell badge {status}\">{Symbol(status)}</span> {(status == "white" ? "not yet" : status)}</td><td>{row?.CompletedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}</td></tr>");
            }
            html.Append("</table></div>");
        }
        html.Append("<div class=\"card\"><h2>Recent activity</h2><table class=\"events\"><tr><th>Time (UTC)</th><th>Game</th><th>Event</th><th>Data</th></tr>");
        foreach (var e in events.Items)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Timestamp:yyyy-MM-dd HH:mm:ss}</td><td>{Html.E(e.Game)}</td><td>{Html.E(e.EventType)}</td><td><code>{Html.E(e.Data.GetRawText())}</code></td></tr>");
        }
        html.Append("</table><p class=\"sub\">Download all of it: <a href=\"/v1/export/events?format=json\">events</a>, <a href=\"/v1/export/progress?format=csv\">progress</a>.</p></div>");
        return Html.Page("My progress", html.ToString(), csrf);
    }
}
