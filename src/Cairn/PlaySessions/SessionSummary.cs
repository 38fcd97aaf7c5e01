namespace Cairn.PlaySessions;

/// <summary>
/// A game's sessions summed up: how many, by how many players, the median and 90th percentile duration (nearest rank: the
/// smallest duration with at least that share of sessions at or below it), sessions per player, and the same by platform.
/// </summary>
internal sealed record SessionSummary(int Sessions, int Players, double MedianSeconds, double P90Seconds, double SessionsPerPlayer)
{
    /// <summary>The platform of sessions whose events named none.</summary>
    public const string UnknownPlatform = "unknown";

    public static SessionSummary Of(IReadOnlyCollection<Storage.SummaryRow> rows)
    {
        var durations = rows.Select(r => r.DurationSeconds).Order().ToArray();
        var players = rows.Select(r => r.PlayerKey).Distinct(StringComparer.Ordinal).Count();
        return new SessionSummary(rows.Count, players, Percentile(durations, 0.5), Percentile(durations, 0.9),
            players == 0 ? 0 : Math.Round((double)rows.Count / players, 3));
    }

    /// <summary>The summary per platform, in platform order (sessions without one under <see cref="UnknownPlatform"/>).</summary>
    public static IReadOnlyDictionary<string, SessionSummary> ByPlatform(IEnumerable<Storage.SummaryRow> rows) =>
        rows.GroupBy(r => r.Platform ?? UnknownPlatform, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Of([.. g]), StringComparer.Ordinal);

    /// <summary>Nearest rank over sorted values (0 for none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
