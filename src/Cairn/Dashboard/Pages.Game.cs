using System.Globalization;
using System.Text;
using Cairn.Access;
using Cairn.Activity;
using Cairn.Catalogs;
using Cairn.Leaderboards;
using Cairn.PlayerState;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    private const int DesignerActiveMinutes = 5;
    private const int DesignerVisitDays = 7;
    private const int DesignerTop = 5;

    /// <summary>
    /// A game at a glance for its designers: who is playing now, how many earned each achievement, the top of each
    /// leaderboard, and the most and least visited content (the waypoints of the state rules' <c>visit</c>) of the last week.
    /// Scoped like the APIs behind it: counts for the org, names only for the players the session covers.
    /// </summary>
    private static async Task<IResult> GamePageAsync(
        HttpContext http, string game, string? org, ActivityScope activity, IActivityStore store, LeaderboardReader boards, CatalogRegistry catalogs,
        TimeProvider time, PlaySessions.Storage.IPlaySessionStore sessions, CancellationToken cancellationToken)
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
        ActivityScope.Resolved scope;
        try
        {
            scope = await activity.ResolveAsync(caller!, game, org, null, cancellationToken);
        }
        catch (LeaderboardRequestException ex)
        {
            return Html.Page("Not found", $"<h1>Not found</h1><p class=\"sub\">{Html.E(ex.Message)}</p>", csrf, ex.Status);
        }
        var catalog = catalogs.Current.For(game)!;
        var now = time.GetUtcNow();
        var title = catalog.Title ?? game;
        var body = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(title)}</h1><p class=\"sub\">For designers: {Html.E(scope.OrgId)} · {Html.E(game)}</p>");

        var active = await store.GetActivePlayersAsync(new ActivityFilter(scope.OrgId, game, now.AddMinutes(-DesignerActiveMinutes), null), cancellationToken);
        body.Append(CultureInfo.InvariantCulture, $"<section id=\"active\"><h2>Active now</h2><p><span class=\"num active-count\">{active.Count}</span> playing in the last {DesignerActiveMinutes} minutes</p>");
        var named = active.Where(p => scope.Covers(p.PlayerKey)).Take(50).ToList();
        if (named.Count > 0)
        {
            body.Append("<ul class=\"active-players\">");
            foreach (var player in named)
            {
                var name = await activity.NameOfAsync(scope, player.PlayerKey, cancellationToken) ?? boards.LabelOf(scope.OrgId, player.PlayerKey);
                body.Append(CultureInfo.InvariantCulture, $"<li>{Html.E(name)} <span class=\"sub\">{Words.Time(player.LastEventAt, seconds: false)}</span></li>");
            }
            body.Append("</ul>");
        }
        body.Append("</section>");

        body.Append("<section id=\"achievements\"><h2>Achievements earned</h2>");
        if (catalog.PlayerState.Achievements.Count == 0)
        {
            body.Append("<p class=\"sub\">The catalog declares no achievements.</p>");
        }
        else
        {
            var counts = await store.GetAchievementCountsAsync(new ActivityFilter(scope.OrgId, game, now, null), cancellationToken);
            body.Append("<table class=\"achievements\"><thead><tr><th>Achievement</th><th>Players</th></tr></thead><tbody>");
            foreach (var a in catalog.PlayerState.Achievements)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr data-achievement=\"{Html.E(a.Id)}\"><td>{Html.E(a.Title ?? a.Id)}<div class=\"sub\">{Html.E(a.Description)}</div></td><td class=\"num\">{counts.GetValueOrDefault(a.Id)}</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        body.Append("</section>");

        body.Append("<section id=\"leaderboards\"><h2>Leaderboards</h2>");
        if (catalog.Leaderboards.IsEmpty)
        {
            body.Append("<p class=\"sub\">The catalog declares no leaderboards.</p>");
        }
        foreach (var board in catalog.Leaderboards.Boards)
        {
            var page = await boards.ReadBoardAsync(caller!, game, board.Id, scope.OrgId, null, null, DesignerTop, null, now, cancellationToken);
            body.Append(CultureInfo.InvariantCulture, $"<h3>{Html.E(board.Title)}</h3><table class=\"leaderboard\" data-board=\"{Html.E(board.Id)}\"><thead><tr><th>Rank</th><th>Player</th><th>Score</th></tr></thead><tbody>");
            foreach (var entry in page.Entries)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{entry.Rank}</td><td>{Html.E(entry.DisplayName)}</td><td class=\"num\">{entry.Score.ToString("0.##", CultureInfo.InvariantCulture)}</td></tr>");
            }
            if (page.Entries.Count == 0)
            {
                body.Append("<tr><td colspan=\"3\" class=\"sub\">No scores in this period yet.</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        body.Append("</section>");

        body.Append(CultureInfo.InvariantCulture, $"<section id=\"content\"><h2>Most and least visited (last {DesignerVisitDays} days)</h2>");
        var visitRules = catalog.PlayerState.Rules.SelectMany(r => r.Operations.Where(o => o.Kind == StateOperationKind.Visit && o.Target.Field is not null)
            .Select(o => (r.On.EventType, Field: o.Target.Field!))).Distinct().ToList();
        if (visitRules.Count == 0)
        {
            body.Append("<p class=\"sub\">The catalog's state rules visit no waypoints.</p>");
        }
        else
        {
            var totals = new Dictionary<string, ContentVisits>(StringComparer.Ordinal);
            foreach (var (eventType, field) in visitRules)
            {
                foreach (var v in await store.GetContentVisitsAsync(new ActivityFilter(scope.OrgId, game, now.AddDays(-DesignerVisitDays), null), eventType, field, cancellationToken))
                {
                    totals[v.Content] = totals.TryGetValue(v.Content, out var t) ? t with { Events = t.Events + v.Events, Players = Math.Max(t.Players, v.Players) } : v;
                }
            }
            foreach (var waypoint in catalog.PlayerState.Waypoints)
            {
                totals.TryAdd(waypoint, new ContentVisits(waypoint, 0, 0));
            }
            var ordered = totals.Values.OrderByDescending(v => v.Events).ThenBy(v => v.Content, StringComparer.Ordinal).ToList();
            AppendVisits(body, "most-visited", "Most visited", ordered.Take(DesignerTop));
            AppendVisits(body, "least-visited", "Least visited", ordered.AsEnumerable().Reverse().Take(DesignerTop));
        }
        body.Append("</section>");
        await AppendSessionsAsync(body, catalog, sessions, scope.OrgId, now, cancellationToken);
        await AppendAnalyticsAsync(body, http, game, scope, catalog, now, cancellationToken);
        return Html.Page(title, body.ToString(), csrf);
    }

    private static void AppendVisits(StringBuilder body, string id, string caption, IEnumerable<ContentVisits> rows)
    {
        body.Append(CultureInfo.InvariantCulture, $"<h3>{caption}</h3><table class=\"visits\" id=\"{id}\"><thead><tr><th>Content</th><th>Visits</th><th>Players</th></tr></thead><tbody>");
        foreach (var v in rows)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr data-content=\"{Html.E(v.Content)}\"><td>{Html.E(v.Content)}</td><td class=\"num\">{v.Events}</td><td class=\"num\">{v.Players}</td></tr>");
        }
        body.Append("</tbody></table>");
    }
}
