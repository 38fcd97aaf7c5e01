using System.Globalization;
using System.Text;
using Cairn.Access;
using Cairn.Catalogs;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    /// <summary>The classes the caller covers, each at a glance: students, progress, who needs attention, last activity.</summary>
    private static async Task<IResult> GroupsPageAsync(
        HttpContext http, Scopes scopes, ClassViewReader classes, CatalogRegistry catalogs, CancellationToken cancellationToken)
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
        var body = new StringBuilder("<h1>Classes</h1><p class=\"sub\">Open a class to see its progress matrix, live, and who needs help now.</p>");
        if (groups.Count == 0)
        {
            body.Append("<p class=\"sub\">No classes yet: create one with POST /v1/groups, or start with --demo.</p>");
            return Html.Page("Classes", body.ToString(), csrf);
        }
        body.Append("<div class=\"table-scroll\"><table class=\"groups\"><thead><tr><th>Class</th><th>Students</th><th>Progress</th><th>Needs attention</th><th>Last activity</th></tr></thead><tbody>");
        foreach (var g in groups)
        {
            var view = await classes.ReadAsync(g, cancellationToken);
            var game = catalogs.Current.For(g.Game)?.Title ?? g.Game;
            var green = Share(view.Green, view.Cells);
            var yellow = Share(view.Yellow, view.Cells);
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr data-group="{Html.E(g.Id)}"><td><a href="/groups/{Uri.EscapeDataString(g.Id)}?org={Uri.EscapeDataString(g.OrgId)}">{Html.E(g.Name)}</a><div class="sub"><a class="game-link" href="/games/{Uri.EscapeDataString(g.Game)}?org={Uri.EscapeDataString(g.OrgId)}">{Html.E(game)}</a> · {Html.E(g.OrgId)}</div></td>
                <td class="num students">{view.Matrix.Players.Count}</td>
                <td class="progress"><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{green}% green, {yellow}% yellow of {view.Cells} cells"><title>{green}% green, {yellow}% yellow of {view.Cells} cells</title><rect class="green" width="{green}" height="10"/><rect class="yellow" x="{green}" width="{yellow}" height="10"/></svg><span class="share">{green}% green · {yellow}% yellow</span></td>
                <td class="num needing">{(view.NeedingAttention == 0 ? "<span class=\"sub\">nobody</span>" : view.NeedingAttention.ToString(CultureInfo.InvariantCulture))}</td>
                <td class="last">{(view.LastReceived is { } last ? Words.Time(last, seconds: false) : "<span class=\"sub\">no activity yet</span>")}{(view.Active ? " <span class=\"playing\">playing now</span>" : "")}</td></tr>
                """);
        }
        body.Append("</tbody></table></div>");
        return Html.Page("Classes", body.ToString(), csrf);
    }

    /// <summary>A whole percentage (drawn as SVG geometry: the pages' CSP allows no style attributes), rounded down so that green and yellow never add up past 100.</summary>
    private static int Share(int part, int whole) => whole == 0 ? 0 : (int)(100L * part / whole);
}
