using System.Globalization;
using System.Text;
using Cairn.Activity;
using Cairn.Catalogs;
using Cairn.Cohorts;
using Cairn.Funnels;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    private const int DesignerFunnelDays = 30;
    private const int DesignerRetentionWeeks = 8;

    /// <summary>
    /// The game page's analytics (docs/analytics.md): each saved funnel of the last 30 days as horizontal bars (players,
    /// conversion from the first step, median time from the previous), and the weekly retention triangle as a heat map.
    /// Server-rendered SVG; every bar and cell carries its numbers as text, so nothing depends on color alone.
    /// </summary>
    private static async Task AppendAnalyticsAsync(
        StringBuilder body, HttpContext http, string game, ActivityScope.Resolved scope, GameCatalog catalog, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var funnels = http.RequestServices.GetRequiredService<IFunnelStore>();
        body.Append(CultureInfo.InvariantCulture, $"<section id=\"funnels\"><h2>Funnels (last {DesignerFunnelDays} days)</h2>");
        if (catalog.Funnels.Count == 0)
        {
            body.Append("<p class=\"sub\">The catalog declares no funnels.</p>");
        }
        foreach (var funnel in catalog.Funnels)
        {
            var events = await funnels.ReadAsync(
                new FunnelRead(scope.OrgId, game, now.AddDays(-DesignerFunnelDays), now, funnel.EventTypes, null, null), cancellationToken);
            AppendFunnelChart(body, funnel, FunnelEngine.Compute(funnel with { Breakdown = null }, events));
        }
        body.Append("</section>");

        var from = now.AddDays(-7 * (DesignerRetentionWeeks - 1));
        var days = await http.RequestServices.GetRequiredService<IRetentionStore>().GetActiveDaysAsync(scope.OrgId, game, now, null, cancellationToken);
        body.Append(CultureInfo.InvariantCulture, $"<section id=\"retention\"><h2>Weekly retention (cohorts of the last {DesignerRetentionWeeks} weeks)</h2>");
        AppendRetentionChart(body, RetentionTable.Compute(days, RetentionInterval.Week, from, now));
        body.Append("</section>");
    }

    private static void AppendFunnelChart(StringBuilder body, FunnelDefinition funnel, FunnelOutcome outcome)
    {
        const int labelWidth = 220, barWidth = 360, rowHeight = 28;
        var height = rowHeight * outcome.Steps.Count + 8;
        body.Append(CultureInfo.InvariantCulture, $"<h3>{Html.E(funnel.Title ?? funnel.Id)}</h3>");
        body.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"funnel\" data-funnel=\"{Html.E(funnel.Id)}\" role=\"img\" aria-label=\"{Html.E(funnel.Title ?? funnel.Id)}: players per step\" width=\"{labelWidth + barWidth + 260}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        foreach (var step in outcome.Steps)
        {
            var y = 4 + step.Step * rowHeight;
            var width = Math.Max(1, (int)Math.Round(barWidth * step.ConversionFromFirst));
            var time = step.MedianSecondsFromPrevious is { } median ? " · median " + Words.Duration(median) : "";
            var text = string.Create(CultureInfo.InvariantCulture, $"{step.Players} players · {Math.Round(step.ConversionFromFirst * 100)}%{time}");
            body.Append(CultureInfo.InvariantCulture, $"""<g class="step" data-step="{step.Step}" data-players="{step.Players}"><text x="0" y="{y + 17}" font-size="13">{Html.E(step.Label)}</text>""")
                .Append(CultureInfo.InvariantCulture, $"""<rect x="{labelWidth}" y="{y}" width="{width}" height="{rowHeight - 6}" fill="#3b6ea5" stroke="#1d3a5c"/>""")
                .Append(CultureInfo.InvariantCulture, $"""<text class="figures" x="{labelWidth + width + 6}" y="{y + 17}" font-size="13">{Html.E(text)}</text></g>""");
        }
        body.Append("</svg>");
    }

    private static void AppendRetentionChart(StringBuilder body, IReadOnlyList<RetentionCohort> cohorts)
    {
        const int labelWidth = 150, cell = 64, rowHeight = 34;
        var columns = cohorts.Count == 0 ? 0 : cohorts.Max(c => c.Active.Count);
        body.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"retention\" role=\"img\" aria-label=\"Share of each weekly cohort active in each later week\" width=\"{labelWidth + cell * columns + 4}\" height=\"{rowHeight * (cohorts.Count + 1) + 4}\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var w = 0; w < columns; w++)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<text x="{labelWidth + w * cell + 6}" y="20" font-size="12">week {w}</text>""");
        }
        for (var row = 0; row < cohorts.Count; row++)
        {
            var cohort = cohorts[row];
            var y = rowHeight * (row + 1);
            body.Append(CultureInfo.InvariantCulture,
                $"""<text x="0" y="{y + 21}" font-size="12">{cohort.Start:yyyy-MM-dd} ({cohort.Players})</text>""");
            for (var w = 0; w < cohort.Active.Count; w++)
            {
                var share = cohort.Share[w];
                var x = labelWidth + w * cell;
                body.Append(CultureInfo.InvariantCulture,
                    $"""<g class="cell" data-cohort="{cohort.Start:yyyy-MM-dd}" data-week="{w}" data-active="{cohort.Active[w]}"><rect x="{x}" y="{y}" width="{cell - 2}" height="{rowHeight - 2}" fill="#3b6ea5" fill-opacity="{0.08 + 0.92 * share:0.###}" stroke="#1d3a5c"/>""")
                    .Append(CultureInfo.InvariantCulture,
                        $"""<text x="{x + 4}" y="{y + 14}" font-size="12" fill="{(share > 0.55 ? "#fff" : "#000")}">{Math.Round(share * 100)}%</text><text x="{x + 4}" y="{y + 28}" font-size="11" fill="{(share > 0.55 ? "#fff" : "#000")}">{cohort.Active[w]}</text></g>""");
            }
        }
        body.Append("</svg>");
    }
}
