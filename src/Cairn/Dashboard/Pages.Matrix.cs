using System.Globalization;
using System.Text;
using Cairn.Access;
using Cairn.Catalogs;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    private static async Task<IResult> MatrixPageAsync(
        HttpContext http, string groupId, string? org, Scopes scopes, ClassViewReader reader, CatalogRegistry catalogs, Rollups.DashboardReader dashboard,
        CancellationToken cancellationToken)
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
        var view = await reader.ReadAsync(group, cancellationToken);
        var title = catalogs.Current.For(group.Game)?.Title ?? group.Game;
        var atRisk = Rollups.AtRiskPanel.Render(await dashboard.ReadAsync(group, cancellationToken));
        return Html.Page(group.Name, RenderMatrix(view, title, atRisk), csrf, headerExtra: "<span id=\"live\" class=\"live off\">connecting</span>");
    }

    /// <param name="atRisk">The at-risk panel (issue #12), shown under the "needs attention" strip.</param>
    internal static string RenderMatrix(ClassView v, string gameTitle, string atRisk = "")
    {
        var m = v.Matrix;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(m.Group.Name)}</h1><p class=\"sub\">{m.Players.Count} students · {m.Points.Count} progress points · {Html.E(gameTitle)} · <a id=\"mastery-link\" href=\"/groups/{Uri.EscapeDataString(m.Group.Id)}/mastery?org={Uri.EscapeDataString(m.Group.OrgId)}\">mastery by standard</a></p>");
        html.Append(RenderAttention(v)).Append(atRisk);
        html.Append("<div class=\"toolbar\"><label>Sort by <select id=\"sort\"><option value=\"name\">name</option><option value=\"progress\">progress</option>")
            .Append("<option value=\"attention\">needs attention</option></select></label>")
            .Append("<div class=\"legend\"><span><span class=\"cell green\">✓</span>done, on target</span>")
            .Append("<span><span class=\"cell yellow\">◐</span>done, needed more (time, help or tries)</span>")
            .Append("<span><span class=\"cell started\">▷</span>started, not done yet</span>")
            .Append("<span><span class=\"cell white\"></span>not yet</span><span>Click a cell to see why.</span></div></div>");

        // Column groups: the catalog's units in order, then points without a unit.
        var columns = new List<(string Id, string Title, List<(MatrixPoint Point, int Index)> Points)>();
        foreach (var unit in m.Units)
        {
            columns.Add((unit.Id, unit.Title ?? unit.Id, []));
        }
        for (var i = 0; i < m.Points.Count; i++)
        {
            var point = m.Points[i];
            var column = columns.FindIndex(c => c.Id == (point.Unit ?? ""));
            if (column < 0)
            {
                columns.Add((point.Unit ?? "", point.Unit ?? "Other", []));
                column = columns.Count - 1;
            }
            columns[column].Points.Add((point, i));
        }
        columns.RemoveAll(c => c.Points.Count == 0);

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"scroll\" id=\"matrix-scroll\"><table class=\"matrix\" data-group=\"{Html.E(m.Group.Id)}\" data-org=\"{Html.E(m.Group.OrgId)}\" data-cursor=\"{Html.E(m.Cursor)}\"><thead><tr><th class=\"corner\" rowspan=\"2\">Student</th>");
        foreach (var column in columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th class=\"unit\" colspan=\"{column.Points.Count}\" data-unit=\"{Html.E(column.Id)}\">{Html.E(column.Title)}<span class=\"count\"></span></th>");
        }
        html.Append("<th class=\"total\" rowspan=\"2\" title=\"Points done per student: green ✓ and yellow ◐\">Done</th></tr><tr>");
        foreach (var column in columns)
        {
            for (var k = 0; k < column.Points.Count; k++)
            {
                var (point, index) = column.Points[k];
                var done = m.Cells.Count(row => row[index].IsDone);
                var typical = v.TypicalSeconds[index] is { } t ? " · typically " + Words.Duration(t) : "";
                html.Append(CultureInfo.InvariantCulture,
                    $"<th class=\"point{(k == 0 ? " first" : "")}\" data-point=\"{Html.E(point.Id)}\" title=\"{Html.E(point.Id + " " + point.Title + typical)}\"><span class=\"ptitle\">{Html.E(point.Title ?? point.Id)}</span><span class=\"pcode\">{Html.E(point.Id)}</span><span class=\"pcount\" title=\"students done\">{done}/{m.Players.Count}</span></th>");
            }
        }
        html.Append("</tr></thead><tbody>");
        for (var p = 0; p < m.Players.Count; p++)
        {
            var player = m.Players[p];
            var s = v.Students[p];
            var reasons = string.Join("; ", s.Reasons.Select(r => r.Text));
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-player=\"{Html.E(player.PlayerKey)}\" data-name=\"{Html.E(player.DisplayName)}\" data-attention=\"{s.Reasons.Count}\"><th class=\"student\" title=\"{Html.E(player.DisplayName + (reasons.Length > 0 ? ": " + reasons : ""))}\">{(s.Reasons.Count > 0 ? "<span class=\"flag\" aria-label=\"needs attention\">!</span>" : "")}{Html.E(player.DisplayName)}</th>");
            foreach (var column in columns)
            {
                for (var k = 0; k < column.Points.Count; k++)
                {
                    var (point, index) = column.Points[k];
                    var cell = m.Cells[p][index];
                    var href = $"/groups/{Uri.EscapeDataString(m.Group.Id)}/players/{Uri.EscapeDataString(player.PlayerKey)}/points/{Uri.EscapeDataString(point.Id)}?org={Uri.EscapeDataString(m.Group.OrgId)}";
                    html.Append(CultureInfo.InvariantCulture,
                        $"<td class=\"cell {cell.Status}{(k == 0 ? " first" : "")}\" data-player=\"{Html.E(player.PlayerKey)}\" data-point=\"{Html.E(point.Id)}\" data-unit=\"{Html.E(column.Id)}\" data-status=\"{cell.Status}\"{CellData(cell)} data-point-title=\"{Html.E(point.Id + " " + (point.Title ?? ""))}\" title=\"{Html.E(Tooltip(point, cell))}\"><a href=\"{Html.E(href)}\">{Symbol(cell.Status)}</a></td>");
                }
            }
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"total\"><span class=\"tg\">{s.Green}</span> ✓ <span class=\"ty\">{s.Yellow}</span> ◐</td></tr>");
        }
        html.Append("</tbody></table></div><script src=\"/static/matrix.js\"></script>");
        return html.ToString();
    }

    private const int AttentionShown = 6;

    /// <summary>The strip above the matrix: who needs the teacher now and why (matrix.js refreshes it from this page).</summary>
    private static string RenderAttention(ClassView v)
    {
        var html = new StringBuilder("<section class=\"attention\" id=\"attention\">");
        var who = v.Students.Select((s, i) => (s, v.Matrix.Players[i])).Where(x => x.s.Reasons.Count > 0)
            .OrderByDescending(x => x.s.Reasons.Count).ThenBy(x => x.Item2.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
        if (who.Count == 0)
        {
            html.Append("<h2>Needs attention</h2><p class=\"sub none\">Nobody right now.</p>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Needs attention ({who.Count})</h2><ul>");
            for (var i = 0; i < who.Count; i++)
            {
                var (s, player) = who[i];
                // A long list stays short: the first few, the rest one click away.
                if (i == AttentionShown && who.Count > AttentionShown + 1)
                {
                    html.Append(CultureInfo.InvariantCulture, $"</ul><details><summary>{who.Count - AttentionShown} more</summary><ul>");
                }
                html.Append(CultureInfo.InvariantCulture, $"<li data-player=\"{Html.E(player.PlayerKey)}\"><strong>{Html.E(player.DisplayName)}</strong>: ")
                    .AppendJoin("; ", s.Reasons.Select(r => $"<span class=\"reason\" data-kind=\"{r.Kind}\">{Html.E(r.Text)}</span>"))
                    .Append("</li>");
            }
            html.Append(who.Count > AttentionShown + 1 ? "</ul></details>" : "</ul>");
        }
        return html.Append("</section>").ToString();
    }

    /// <summary>The cell's score and completion time, for matrix.js to write the tooltip in the viewer's time zone.</summary>
    private static string CellData(MatrixCell cell) =>
        (cell.Score is { } score ? " data-score=\"" + score.ToString("R", CultureInfo.InvariantCulture) + "\"" : "")
        + (cell.CompletedAt is { } at ? " data-completed=\"" + at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"" : "")
        + (cell.StartedAt is { } started ? " data-started=\"" + started.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"" : "");

    private static string Symbol(string status) => status switch
    {
        "green" => "✓",
        "yellow" => "◐",
        "started" => "▷",
        _ => "",
    };

    private static string Tooltip(MatrixPoint point, MatrixCell cell)
    {
        var parts = new List<string> { point.Id + " " + (point.Title ?? ""), Words.Status(cell.Status) };
        if (cell.Score is { } score)
        {
            parts.Add("score " + score.ToString("0.#", CultureInfo.InvariantCulture));
        }
        if (cell.CompletedAt is { } at)
        {
            parts.Add("completed " + at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        }
        else if (cell.StartedAt is { } started)
        {
            parts.Add("started " + started.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        }
        return string.Join(" · ", parts);
    }
}
