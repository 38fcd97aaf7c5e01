using System.Globalization;
using System.Text;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Mastery;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    /// <summary>The mastery levels in order, each with its symbol (the heat map shows a level by colour and by symbol).</summary>
    internal static readonly IReadOnlyList<(string Level, string Symbol)> MasteryLevelSymbols =
    [
        (MasteryLevels.NotStarted, "–"), (MasteryLevels.Attempted, "◔"), (MasteryLevels.FamiliarLevel, "◑"),
        (MasteryLevels.ProficientLevel, "◕"), (MasteryLevels.MasteredLevel, "●"),
    ];

    internal static string MasterySymbol(string level) => MasteryLevelSymbols.FirstOrDefault(l => l.Level == level).Symbol ?? "?";

    /// <summary>A level as a CSS class: <c>m-not-started</c>, <c>m-attempted</c> …</summary>
    internal static string MasteryClass(string level) => "m-" + level.Replace(' ', '-');

    /// <summary>The class mastery heat map: students × standards, live.</summary>
    private static async Task<IResult> MasteryPageAsync(
        HttpContext http, string groupId, string? org, Scopes scopes, MasteryMatrixReader reader, CatalogRegistry catalogs, CancellationToken cancellationToken)
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
        var catalog = catalogs.Current.For(group.Game);
        return Html.Page(group.Name + " · mastery", RenderMastery(matrix, catalog?.Title ?? group.Game, (catalog?.Mastery ?? MasterySettings.Default).Levels), csrf,
            headerExtra: "<span id=\"live\" class=\"live off\">connecting</span>");
    }

    internal static string RenderMastery(MasteryMatrix m, string gameTitle, MasteryLevels levels)
    {
        var html = new StringBuilder();
        var back = $"/groups/{Uri.EscapeDataString(m.Group.Id)}?org={Uri.EscapeDataString(m.Group.OrgId)}";
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Html.E(back)}\">← back to the class's progress</a></p>")
            .Append(CultureInfo.InvariantCulture, $"<h1>{Html.E(m.Group.Name)}: mastery by standard</h1><p class=\"sub\">{m.Players.Count} students · {m.Standards.Count} standards · {Html.E(gameTitle)}</p>");
        html.Append("<div class=\"toolbar\"><label>Sort by <select id=\"sort\"><option value=\"name\">student</option>");
        foreach (var s in m.Standards)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"std:{Html.E(s.Id)}\">standard {Html.E(s.Id)}{(s.Name is null ? "" : " – " + Html.E(s.Name))} (most mastery first)</option>");
        }
        html.Append("</select></label><div class=\"legend\" id=\"mastery-legend\">");
        string Range(string level) => level switch
        {
            MasteryLevels.NotStarted => "no answer yet",
            MasteryLevels.Attempted => string.Create(CultureInfo.InvariantCulture, $"below {levels.Familiar:P0}"),
            MasteryLevels.FamiliarLevel => string.Create(CultureInfo.InvariantCulture, $"{levels.Familiar:P0}–{levels.Proficient:P0}"),
            MasteryLevels.ProficientLevel => string.Create(CultureInfo.InvariantCulture, $"{levels.Proficient:P0}–{levels.Mastered:P0}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{levels.Mastered:P0} and above"),
        };
        foreach (var (level, symbol) in MasteryLevelSymbols)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span data-level=\"{Html.E(level)}\"><span class=\"cell {MasteryClass(level)}\">{symbol}</span>{Html.E(level)} <span class=\"sub\">({Html.E(Range(level))})</span></span>");
        }
        html.Append("<span>Percentages: the chance the student knows the standard (pMastery). Click a standard to sort by it.</span></div></div>");

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"scroll\" id=\"matrix-scroll\"><table class=\"matrix mastery\" data-group=\"{Html.E(m.Group.Id)}\" data-org=\"{Html.E(m.Group.OrgId)}\" data-cursor=\"{Html.E(m.Cursor)}\"><thead><tr><th class=\"corner\">Student</th>");
        foreach (var s in m.Standards)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<th class=\"point standard\" data-standard=\"{Html.E(s.Id)}\" title=\"{Html.E(s.Id + (s.Name is null ? "" : " " + s.Name))}\"><span class=\"ptitle\">{Html.E(s.Name ?? s.Id)}</span><span class=\"pcode\">{Html.E(s.Id)}</span></th>");
        }
        html.Append("</tr></thead><tbody>");
        for (var p = 0; p < m.Players.Count; p++)
        {
            var player = m.Players[p];
            html.Append(CultureInfo.InvariantCulture, $"<tr data-player=\"{Html.E(player.PlayerKey)}\" data-name=\"{Html.E(player.DisplayName)}\"><th class=\"student\" title=\"{Html.E(player.DisplayName)}\">{Html.E(player.DisplayName)}</th>");
            for (var s = 0; s < m.Standards.Count; s++)
            {
                var standard = m.Standards[s];
                var cell = m.Cells[p][s];
                html.Append(CultureInfo.InvariantCulture,
                    $"<td class=\"cell {MasteryClass(cell.Level)}\" data-player=\"{Html.E(player.PlayerKey)}\" data-standard=\"{Html.E(standard.Id)}\" data-standard-title=\"{Html.E(standard.Id + (standard.Name is null ? "" : " " + standard.Name))}\" data-level=\"{Html.E(cell.Level)}\"{MasteryCellData(cell)} title=\"{Html.E(MasteryTooltip(standard, cell))}\">{MasterySymbol(cell.Level)}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div><script src=\"/static/mastery.js\"></script>");
        return html.ToString();
    }

    private static string MasteryCellData(MasteryMatrix.MasteryCell cell) =>
        (cell.PMastery is { } p ? " data-p=\"" + p.ToString("R", CultureInfo.InvariantCulture) + "\"" : "")
        + " data-n=\"" + cell.Observations.ToString(CultureInfo.InvariantCulture) + "\""
        + (cell.LastAt is { } at ? " data-last=\"" + at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\"" : "");

    /// <summary>The cell's tooltip as the server writes it (UTC); mastery.js rewrites it with the time in the viewer's zone.</summary>
    private static string MasteryTooltip(MasteryMatrix.MasteryStandard standard, MasteryMatrix.MasteryCell cell)
    {
        var parts = new List<string> { standard.Id + (standard.Name is null ? "" : " " + standard.Name), cell.Level };
        if (cell.PMastery is { } p)
        {
            parts.Add(p.ToString("P0", CultureInfo.InvariantCulture) + " likely known");
            parts.Add(cell.Observations.ToString(CultureInfo.InvariantCulture) + (cell.Observations == 1 ? " answer" : " answers"));
        }
        if (cell.LastAt is { } at)
        {
            parts.Add("last answer " + at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        }
        return string.Join(" · ", parts);
    }
}
