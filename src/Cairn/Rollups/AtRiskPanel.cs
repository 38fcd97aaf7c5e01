using System.Globalization;
using System.Text;
using Cairn.Dashboard;

namespace Cairn.Rollups;

/// <summary>The at-risk panel of the class page: each flagged student and the reasons, in the teacher's words.</summary>
internal static class AtRiskPanel
{
    public static string Render(GroupDashboard dashboard)
    {
        var html = new StringBuilder("<section class=\"attention at-risk\" id=\"at-risk\">");
        if (dashboard.ComputedAt is null)
        {
            return html.Append("<h2>At risk</h2><p class=\"sub none\">Not computed yet: the class's rollup runs after its next event.</p></section>").ToString();
        }
        if (dashboard.AtRisk.Count == 0)
        {
            return html.Append("<h2>At risk</h2><p class=\"sub none\">Nobody is at risk.</p></section>").ToString();
        }
        html.Append(CultureInfo.InvariantCulture, $"<h2>At risk ({dashboard.AtRisk.Count})</h2><ul>");
        foreach (var student in dashboard.AtRisk)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li data-player=\"{Html.E(student.PlayerKey)}\"><strong>{Html.E(student.DisplayName)}</strong><ul>");
            foreach (var flag in student.Flags)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li class=\"reason\" data-code=\"{Html.E(flag.Code)}\">{Html.E(flag.Reason)}</li>");
            }
            html.Append("</ul></li>");
        }
        return html.Append("</ul></section>").ToString();
    }
}
