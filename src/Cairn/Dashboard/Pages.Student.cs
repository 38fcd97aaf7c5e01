using System.Globalization;
using System.Text;
using Cairn.Catalogs;
using Cairn.Mastery;
using Cairn.Mastery.Storage;
using Cairn.PlayerState.Storage;
using Cairn.Projections;

namespace Cairn.Dashboard;

internal static partial class Pages
{
    /// <summary>
    /// A student's mastery per standard, game by game: the level (colour and symbol), pMastery, the answers, and a small
    /// inline SVG curve of pMasteryAfter over time (one point per answer, from the same replay the explanation API gives).
    /// </summary>
    private static async Task<string> RenderMyMasteryAsync(
        string playerKey, IMasteryStore mastery, ProjectionSet projections, CatalogRegistry catalogs, CancellationToken cancellationToken)
    {
        var rows = await mastery.GetPlayerMasteryAsync(playerKey, null, cancellationToken);
        if (rows.Count == 0 || projections.Find(MasteryProjection.Name) is not MasteryProjection projection)
        {
            return "";
        }
        var html = new StringBuilder();
        foreach (var game in rows.GroupBy(r => r.Game, StringComparer.Ordinal))
        {
            var catalog = catalogs.Current.For(game.Key);
            var settings = catalog?.Mastery ?? MasterySettings.Default;
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card mastery-mine\" data-game=\"{Html.E(game.Key)}\"><h2>What you have learned · {Html.E(catalog?.Title ?? game.Key)}</h2>")
                .Append("<p class=\"sub\">How likely it is that you know each standard, after each of your answers (the dashed line is “mastered”).</p>")
                .Append("<table class=\"events mine mastery-mine\"><thead><tr><th>Standard</th><th>Level</th><th>Over time</th><th>Last answer</th></tr></thead><tbody>");
            foreach (var row in game)
            {
                var (parameters, observations) = await projection.ObserveAsync(row.OrgId, row.Game, playerKey, row.StandardId, cancellationToken);
                var steps = MasteryCalculator.Replay(observations, parameters.Bkt);
                var name = settings.NameOf(row.StandardId);
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr data-standard=\"{Html.E(row.StandardId)}\"><td>{Html.E(name ?? row.StandardId)}{(name is null ? "" : $" <span class=\"sub\">{Html.E(row.StandardId)}</span>")}</td>")
                    .Append(CultureInfo.InvariantCulture,
                        $"<td class=\"status\"><span class=\"cell badge {MasteryClass(row.Level)}\">{MasterySymbol(row.Level)}</span> {Html.E(row.Level)} <span class=\"sub\">({row.PMastery.ToString("P0", CultureInfo.InvariantCulture)}, {row.Observations} {(row.Observations == 1 ? "answer" : "answers")})</span></td>")
                    .Append("<td>").Append(Curve(steps, parameters.Levels.Mastered)).Append("</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{Words.Time(row.LastAt, seconds: false)}</td></tr>");
            }
            html.Append("</tbody></table></div>");
        }
        return html.ToString();
    }

    /// <summary>
    /// pMasteryAfter over time as an inline SVG polyline (x: the answer's time between the first and the last, y: 0–1, up is
    /// more), with the mastered boundary dashed; drawn as geometry because the pages' CSP allows no style attributes.
    /// </summary>
    internal static string Curve(IReadOnlyList<MasteryStep> steps, double mastered)
    {
        const double width = 120, height = 32, pad = 3;
        if (steps.Count == 0)
        {
            return "";
        }
        var first = steps[0].At;
        var span = (steps[^1].At - first).TotalSeconds;
        string X(int i) => (steps.Count == 1 ? width / 2 : pad + (span > 0 ? (steps[i].At - first).TotalSeconds / span : (double)i / (steps.Count - 1)) * (width - 2 * pad))
            .ToString("0.##", CultureInfo.InvariantCulture);
        string Y(double p) => (pad + (1 - p) * (height - 2 * pad)).ToString("0.##", CultureInfo.InvariantCulture);
        var points = string.Join(' ', steps.Select((s, i) => X(i) + "," + Y(s.PMasteryAfter)));
        var said = string.Join(", ", steps.Select(s => s.PMasteryAfter.ToString("P0", CultureInfo.InvariantCulture)));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"curve\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"after each answer: {said}\">")
            .Append(CultureInfo.InvariantCulture, $"<title>after each answer: {said}</title>")
            .Append(CultureInfo.InvariantCulture, $"<line class=\"goal\" x1=\"0\" x2=\"{width}\" y1=\"{Y(mastered)}\" y2=\"{Y(mastered)}\"/>");
        if (steps.Count > 1)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"line\" points=\"{points}\"/>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{X(steps.Count - 1)}\" cy=\"{Y(steps[^1].PMasteryAfter)}\" r=\"2\"/>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// The player's state and achievements per game (of one game, for a teacher's drill-down): where they are, what they
    /// carry, quests, waypoints, counters and flags, and the achievements with their titles and when they were earned.
    /// </summary>
    private static async Task<string> RenderPlayerStateAsync(
        string playerKey, string? game, IPlayerStateStore states, CatalogRegistry catalogs, bool student, CancellationToken cancellationToken)
    {
        var rows = await states.GetStatesAsync(playerKey, game, cancellationToken);
        var achievements = await states.GetAchievementsAsync(playerKey, game, cancellationToken);
        var games = rows.Select(r => r.Game).Concat(achievements.Select(a => a.Game)).Distinct(StringComparer.Ordinal).ToList();
        var html = new StringBuilder();
        foreach (var g in games)
        {
            var catalog = catalogs.Current.For(g);
            var state = rows.FirstOrDefault(r => r.Game == g)?.State;
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card player-state\" data-game=\"{Html.E(g)}\"><h2>{(student ? "Your game" : "In the game")} · {Html.E(catalog?.Title ?? g)}</h2><dl class=\"facts\">");
            if (state is not null)
            {
                if (state.Location is { } location)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<dt>{(student ? "Where you are" : "Where they are")}</dt><dd class=\"location\">{Html.E(location)}</dd>");
                }
                html.Append(CultureInfo.InvariantCulture, $"<dt>{(student ? "What you carry" : "Inventory")}</dt><dd class=\"inventory\">{List(state.Inventory)}</dd>");
                if (state.CompletedQuests.Count > 0 || state.ActiveQuests.Count > 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<dt>Quests done</dt><dd class=\"quests-done\">{List(state.CompletedQuests.Select(q => q.QuestId))}</dd>")
                        .Append(CultureInfo.InvariantCulture, $"<dt>Quests under way</dt><dd class=\"quests-active\">{List(state.ActiveQuests.Select(q => q.QuestId))}</dd>");
                }
                if (state.Visited.Count > 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<dt>Places visited</dt><dd class=\"visited\">{state.Visited.Count}: {List(state.Visited.Select(v => v.WaypointId))}</dd>");
                }
                if (state.Counters.Count > 0)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<dt>Collected</dt><dd class=\"counters\">{List(state.Counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + ": " + c.Value.ToString("0.##", CultureInfo.InvariantCulture)))}</dd>");
                }
                html.Append(CultureInfo.InvariantCulture, $"<dt>Last played</dt><dd>{Words.Time(state.LastPlayedAt, seconds: false)}</dd>");
            }
            html.Append("<dt>Achievements</dt><dd class=\"achievements\">");
            var earned = achievements.Where(a => a.Game == g).ToList();
            if (earned.Count == 0)
            {
                html.Append("<span class=\"sub\">none yet</span>");
            }
            else
            {
                html.Append("<ul class=\"inline\">");
                foreach (var a in earned)
                {
                    var definition = catalog?.PlayerState.Achievements.FirstOrDefault(d => d.Id == a.AchievementId);
                    html.Append(CultureInfo.InvariantCulture,
                        $"<li data-achievement=\"{Html.E(a.AchievementId)}\" title=\"{Html.E(definition?.Description ?? "")}\">★ <strong>{Html.E(definition?.Title ?? a.AchievementId)}</strong> <span class=\"sub\">{Words.Time(a.EarnedAt, seconds: false)}</span></li>");
                }
                html.Append("</ul>");
            }
            html.Append("</dd></dl></div>");
        }
        return html.ToString();
    }

    private static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "<span class=\"sub\">nothing</span>" : string.Join(", ", list.Select(Html.E));
    }
}
