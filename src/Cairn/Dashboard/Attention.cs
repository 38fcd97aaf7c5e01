using System.Globalization;

namespace Cairn.Dashboard;

/// <summary>
/// Who needs the teacher now, and why. Each rule gives one plain-words reason; a student with any reason is on the
/// "needs attention" strip. Times are measured on the game's clock, against the class's latest event (the class clock),
/// so a game whose clock runs behind the server's (the simulator) is judged the same as one in real time.
/// </summary>
internal static class Attention
{
    public const string Yellow = "yellow";
    public const string Inactive = "inactive";
    public const string Stuck = "stuck";

    /// <param name="cells">The student's cells, parallel to <paramref name="points"/>.</param>
    /// <param name="lastPlayed">Their latest event's timestamp, or null when they have none.</param>
    /// <param name="started">
    /// Points the student started and has not completed, with the start's timestamp (the progress projection's
    /// <c>started</c> cells): the "stuck" reason compares how long with the point's typical time.
    /// </param>
    /// <param name="typicalSeconds">Per point, its typical time (<see cref="ClassView.TypicalSeconds"/>).</param>
    /// <param name="classClock">The class's latest event's timestamp, or null when nobody has played.</param>
    /// <param name="classActive">Whether the class is playing now (<see cref="ClassView.Active"/>).</param>
    public static IReadOnlyList<AttentionReason> For(
        IReadOnlyList<MatrixCell> cells, DateTimeOffset? lastPlayed, IReadOnlyDictionary<string, DateTimeOffset> started,
        IReadOnlyList<MatrixPoint> points, IReadOnlyList<double?> typicalSeconds, DateTimeOffset? classClock, bool classActive, DashboardOptions options)
    {
        var reasons = new List<AttentionReason>();
        var yellow = points.Where((_, i) => cells[i].Status == "yellow").ToList();
        if (yellow.Count >= options.AttentionYellowCells)
        {
            var names = string.Join(", ", yellow.Take(3).Select(p => p.Title ?? p.Id)) + (yellow.Count > 3 ? ", …" : "");
            reasons.Add(new(Yellow, string.Create(CultureInfo.InvariantCulture, $"yellow on {yellow.Count} points ({names}): needed more time, help or tries")));
        }
        // A student who has done every point is not waiting for anything.
        if (classActive && classClock is { } clock && cells.Any(c => !c.IsDone))
        {
            var limit = TimeSpan.FromMinutes(options.InactiveMinutes);
            if (lastPlayed is null)
            {
                reasons.Add(new(Inactive, "has not started, while the class is playing"));
            }
            else if (clock - lastPlayed.Value > limit)
            {
                reasons.Add(new(Inactive, $"no activity for {Words.Duration((clock - lastPlayed.Value).TotalSeconds)}, while the class is playing"));
            }
            for (var i = 0; i < points.Count; i++)
            {
                if (!cells[i].IsDone && started.TryGetValue(points[i].Id, out var since) && typicalSeconds[i] is { } typical
                    && (clock - since).TotalSeconds > typical)
                {
                    reasons.Add(new(Stuck, $"on “{points[i].Title ?? points[i].Id}” for {Words.Duration((clock - since).TotalSeconds)}; it typically takes {Words.Duration(typical)}"));
                }
            }
        }
        return reasons;
    }

    /// <summary>A point's typical time: the median of the class's times on it, else its green rule's upper bound, else unknown.</summary>
    public static double? Typical(IEnumerable<double> classDurations, double? greenMax)
    {
        var sorted = classDurations.Order().ToList();
        if (sorted.Count == 0)
        {
            return greenMax;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
