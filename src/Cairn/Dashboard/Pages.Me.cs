using Cairn.Progress.Storage;
using System.Globalization;
using System.Text;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    /// <summary>A student's own page: their progress in every game, their mastery per standard, their state and achievements, and what they did lately, in words.</summary>
    private static async Task<IResult> MyPageAsync(
        HttpContext http, Stores store, IProgressStore progress, Mastery.Storage.IMasteryStore mastery, PlayerState.Storage.IPlayerStateStore states,
        Projections.ProjectionSet projections, CatalogRegistry catalogs, CancellationToken cancellationToken)
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
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(player?.DisplayName ?? "My progress")}</h1><p class=\"sub\">Your progress and what you did lately. Only you (and your teachers) see this.</p>");
        foreach (var game in rows.Select(r => r.Game).Distinct())
        {
            var catalog = catalogs.Current.For(game);
            var points = catalog?.Points ?? [];
            var done = points.Count(p => rows.Any(r => r.Game == game && r.PointId == p.Id && !r.IsStarted));
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><h2>{Html.E(catalog?.Title ?? game)}</h2><p class=\"sub\">You have done {done} of {points.Count} steps.</p><table class=\"events mine\"><thead><tr><th>Step</th><th>How it went</th><th>When</th></tr></thead><tbody>");
            foreach (var point in points)
            {
                var row = rows.FirstOrDefault(r => r.Game == game && r.PointId == point.Id);
                var status = row?.Status ?? "white";
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{Html.E(point.Title ?? point.Id)}</td><td class=\"status\"><span class=\"cell badge {status}\">{Symbol(status)}</span> {Words.StudentStatus(status)}</td><td>{(row?.CompletionTime is { } when ? Words.Time(when, seconds: false) : row?.StartedAt is { } since ? "started " + Words.Time(since, seconds: false) : "")}</td></tr>");
            }
            html.Append("</tbody></table></div>");
        }
        html.Append(await RenderMyMasteryAsync(self, mastery, projections, catalogs, cancellationToken))
            .Append(await RenderPlayerStateAsync(self, null, states, catalogs, student: true, cancellationToken));
        html.Append("<div class=\"card\"><h2>What you did lately</h2><ul class=\"activity\">");
        var others = 0;
        foreach (var e in events.Items)
        {
            var catalog = catalogs.Current.For(e.Game);
            if (catalog is null || Meaning(catalog, e.EventType, e.Data) is not { } meaning)
            {
                others++;
                continue;
            }
            html.Append(CultureInfo.InvariantCulture, $"<li>{Words.Time(e.Timestamp, seconds: false)} · You {Html.E(meaning)} <span class=\"sub\">({Html.E(catalog.Title ?? e.Game)})</span></li>");
        }
        if (events.Items.Count == 0)
        {
            html.Append("<li class=\"sub\">Nothing yet: play, and your steps show up here.</li>");
        }
        else if (others > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"sub\">and {others} other moves in the game</li>");
        }
        html.Append("</ul><p class=\"sub\">Download all of it: <a href=\"/v1/export/events?format=json\">everything the game sent</a>, <a href=\"/v1/export/progress?format=csv\">your progress</a>.</p></div>");
        return Html.Page("My progress", html.ToString(), csrf);
    }

    /// <summary>What an event meant, from the names of the catalog's patterns (the first that matches and has a name).</summary>
    private static string? Meaning(GameCatalog catalog, string eventType, System.Text.Json.JsonElement data)
    {
        if (eventType == BuiltInEvents.Reset)
        {
            return "were sent back to an earlier step by your teacher";
        }
        if (eventType == BuiltInEvents.Completed)
        {
            return "had a step marked as completed";
        }
        foreach (var point in catalog.Points)
        {
            foreach (var pattern in point.Complete.Append(point.Start).Append(point.Count))
            {
                if (pattern?.Name is { } name && PatternMatcher.Matches(pattern, eventType, data))
                {
                    return name;
                }
            }
        }
        return null;
    }
}
