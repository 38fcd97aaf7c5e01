using System.Globalization;
using System.Text;
using Cairn.Catalogs;
using Cairn.PlaySessions;
using Cairn.PlaySessions.Storage;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    /// <summary>
    /// The game page's "Sessions" section: the sessions summary of the org's last 30 days (<see cref="SessionsApi"/>), and
    /// the same per platform with each platform's share in words and numbers (no chart, no colour needed).
    /// </summary>
    private static async Task AppendSessionsAsync(
        StringBuilder body, GameCatalog catalog, IPlaySessionStore store, string orgId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        body.Append(CultureInfo.InvariantCulture, $"<section id=\"sessions\"><h2>Sessions (last {SessionsApi.DefaultDays} days)</h2>");
        if (catalog.Sessions is null)
        {
            body.Append("<p class=\"sub\">The catalog declares no sessions: section, so the game keeps no play sessions.</p></section>");
            return;
        }
        var summary = await SessionsApi.SummarizeAsync(store, orgId, catalog.Game, now.AddDays(-SessionsApi.DefaultDays), now, null, cancellationToken);
        body.Append("<table class=\"sessions-summary\"><tbody>")
            .Append(CultureInfo.InvariantCulture, $"<tr><th>Sessions</th><td class=\"num\" data-figure=\"count\">{summary.Count}</td></tr>")
            .Append(CultureInfo.InvariantCulture, $"<tr><th>Players</th><td class=\"num\" data-figure=\"players\">{summary.Players}</td></tr>")
            .Append(CultureInfo.InvariantCulture, $"<tr><th>Median length</th><td class=\"num\" data-figure=\"median\">{Words.Duration(summary.MedianSeconds)}</td></tr>")
            .Append(CultureInfo.InvariantCulture, $"<tr><th>90th percentile</th><td class=\"num\" data-figure=\"p90\">{Words.Duration(summary.P90Seconds)}</td></tr>")
            .Append(CultureInfo.InvariantCulture, $"<tr><th>Sessions per player</th><td class=\"num\" data-figure=\"per-player\">{summary.SessionsPerPlayer.ToString("0.##", CultureInfo.InvariantCulture)}</td></tr>")
            .Append("</tbody></table>");
        if (summary.Count == 0)
        {
            body.Append("<p class=\"sub\">No sessions started in this period.</p></section>");
            return;
        }
        body.Append("<h3>By platform</h3><table class=\"sessions-platforms\"><thead><tr><th>Platform</th><th>Sessions</th><th>Share</th><th>Players</th><th>Median</th><th>90th percentile</th></tr></thead><tbody>");
        foreach (var (platform, s) in summary.ByPlatform)
        {
            var share = 100.0 * s.Sessions / summary.Count;
            body.Append(CultureInfo.InvariantCulture, $"<tr data-platform=\"{Html.E(platform)}\"><td>{Html.E(platform)}</td><td class=\"num\">{s.Sessions}</td><td class=\"num\">{share.ToString("0", CultureInfo.InvariantCulture)} %</td><td class=\"num\">{s.Players}</td><td class=\"num\">{Words.Duration(s.MedianSeconds)}</td><td class=\"num\">{Words.Duration(s.P90Seconds)}</td></tr>");
        }
        body.Append("</tbody></table></section>");
    }
}
