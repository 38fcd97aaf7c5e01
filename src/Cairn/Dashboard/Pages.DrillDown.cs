using Cairn.Progress.Storage;
using System.Globalization;
using System.Text;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    private static async Task<IResult> DrillDownPageAsync(
        HttpContext http, string groupId, string playerKey, string pointId, string? org, Stores store, IProgressStore progress, Scopes scopes, CatalogRegistry catalogs,
        PlayerState.Storage.IPlayerStateStore states, TimeProvider time, CancellationToken cancellationToken)
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
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><h1>{Html.E(d.DisplayName)} · {Html.E(d.Point.Title ?? d.Point.Id)}</h1><p class=\"sub\">{Html.E(d.Point.Id)}</p><dl class=\"facts\">");
        html.Append(CultureInfo.InvariantCulture, $"<dt>Status</dt><dd><span class=\"cell badge {d.Status}\">{Symbol(d.Status)}</span> {Words.Status(d.Status)}</dd>");
        if (d.Why.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Why {(d.Status == "green" ? "green" : "yellow")}</dt><dd class=\"why\">")
                .AppendJoin("<br>", d.Why.Select(Html.E)).Append("</dd>");
        }
        else if (d.Status is "green" or "yellow")
        {
            html.Append("<dt>Why green</dt><dd class=\"why\">this point is green whenever it is completed</dd>");
        }
        if (d.DurationSeconds is { } duration)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Time taken</dt><dd>{Words.Duration(duration)}</dd>");
        }
        if (d.Count is { } count)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Counted events</dt><dd>{count}</dd>");
        }
        if (d.CompletedAt is { } completed)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Completed</dt><dd>{Words.Time(completed)}</dd>");
        }
        else if (d.Status == "started" && d.Start is { } start)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>Started</dt><dd>{Words.Time(start.Timestamp)}, not completed yet</dd>");
        }
        html.Append("</dl></div><div class=\"card\"><h2>What happened</h2>")
            .Append("<label class=\"raw-toggle\"><input type=\"checkbox\" id=\"show-raw\"> show the raw events</label>")
            .Append("<table class=\"events\"><thead><tr><th>When</th><th>What</th><th class=\"raw\">Raw event</th></tr></thead><tbody>");
        void Row(string role, MatrixApi.DrillEvent? e)
        {
            if (e is not null)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{Words.Time(e.Timestamp)}</td><td class=\"what\"><span class=\"role\">{role}:</span> {Html.E(e.Name ?? e.EventType)}</td><td class=\"raw\"><code>{Html.E(e.EventType)} {Html.E(e.Data.GetRawText())}</code></td></tr>");
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
            html.Append("<tr><td colspan=\"3\" class=\"sub\">No event has decided this cell yet.</td></tr>");
        }
        html.Append("</tbody></table></div>");
        // The student's state and achievements in this class's game (only that game: the class's scope).
        html.Append(await RenderPlayerStateAsync(playerKey, group.Game, states, catalogs, student: false, cancellationToken));
        return Html.Page($"{d.DisplayName} · {d.Point.Id}", html.ToString(), csrf);
    }
}
