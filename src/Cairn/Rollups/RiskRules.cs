using System.Globalization;

namespace Cairn.Rollups;

/// <summary>
/// The at-risk rules, evaluated from the facts a rollup job stored against a given time (the read's "now"): so a grace
/// period or an inactivity window that runs out turns its flag on without any new event. Pure, for the tests.
/// </summary>
internal static class RiskRules
{
    /// <summary>Each student's flags (students without any are left out), in the order of <paramref name="students"/>.</summary>
    public static IReadOnlyList<(StudentFacts Student, IReadOnlyList<RiskFlag> Flags)> Evaluate(
        IReadOnlyList<StudentFacts> students, double? medianCompletion, RiskOptions options, DateTimeOffset now)
    {
        var inactiveSince = now - TimeSpan.FromDays(options.InactiveDays);
        var classActive = students.Any(s => s.LastEventAt >= inactiveSince);
        var result = new List<(StudentFacts, IReadOnlyList<RiskFlag>)>();
        foreach (var student in students)
        {
            var flags = new List<RiskFlag>();
            Add(flags, MissingSubmissions(student, options, now));
            Add(flags, ScoreTrendDown(student, options));
            Add(flags, CompletionBelowMedian(student, medianCompletion));
            if (classActive && !(student.LastEventAt >= inactiveSince))
            {
                flags.Add(InactiveFlag(student, options, now));
            }
            Add(flags, Stuck(student, options, now));
            if (flags.Count > 0)
            {
                result.Add((student, flags));
            }
        }
        return result;
    }

    private static void Add(List<RiskFlag> flags, RiskFlag? flag)
    {
        if (flag is not null)
        {
            flags.Add(flag);
        }
    }

    public static RiskFlag? MissingSubmissions(StudentFacts student, RiskOptions options, DateTimeOffset now)
    {
        var due = now - TimeSpan.FromDays(options.GraceDays);
        var missing = student.Assignments.Where(a => a.GradedAt is null && a.AssignedAt <= due).ToList();
        if (missing.Count == 0)
        {
            return null;
        }
        var names = string.Join(", ", missing.Select(a => a.AssignmentId));
        var reason = missing.Count == 1
            ? $"Assignment {names} has no graded submission, {Days(now - missing[0].AssignedAt)} after it was assigned."
            : $"{N(missing.Count)} assignments have no graded submission more than {Days(TimeSpan.FromDays(options.GraceDays))} after they were assigned: {names}.";
        return new RiskFlag(RiskFlag.MissingSubmissions, reason, new RiskEvidence(Assignments: [.. missing.Select(a => a.AssignmentId)], Since: missing.Min(a => a.AssignedAt)));
    }

    public static RiskFlag? ScoreTrendDown(StudentFacts student, RiskOptions options)
    {
        var graded = student.Assignments.Where(a => a.GradedAt is not null && a.Score is not null)
            .OrderBy(a => a.GradedAt).ThenBy(a => a.AssignmentId, StringComparer.Ordinal).ToList();
        if (graded.Count < 2)
        {
            return null;
        }
        var (previous, last) = (graded[^2], graded[^1]);
        var drop = previous.Score!.Value - last.Score!.Value;
        if (drop <= options.ScoreTrendMargin)
        {
            return null;
        }
        return new RiskFlag(RiskFlag.ScoreTrendDown,
            $"The last graded score, {Pct(last.Score.Value)} on {last.AssignmentId}, is {Points(drop)} points below the one before, {Pct(previous.Score.Value)} on {previous.AssignmentId}.",
            new RiskEvidence(Assignments: [previous.AssignmentId, last.AssignmentId], Scores: [previous.Score.Value, last.Score.Value]));
    }

    public static RiskFlag? CompletionBelowMedian(StudentFacts student, double? median)
    {
        if (student.CompletionRate is not { } rate || median is not { } m || rate >= m - 1e-12)
        {
            return null;
        }
        var open = student.Assignments.Where(a => a.GradedAt is null).Select(a => a.AssignmentId).ToList();
        return new RiskFlag(RiskFlag.CompletionBelowMedian,
            $"Completed {N(student.Graded)} of {N(student.Assigned)} assignments ({Pct(rate * 100)}), below the class median of {Pct(m * 100)}.",
            new RiskEvidence(Assignments: open, Median: m, CompletionRate: rate));
    }

    private static RiskFlag InactiveFlag(StudentFacts student, RiskOptions options, DateTimeOffset now) =>
        new(RiskFlag.Inactive,
            student.LastEventAt is { } last
                ? $"No activity for {Days(now - last)} (since {last.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}), while classmates were active in the last {Days(TimeSpan.FromDays(options.InactiveDays))}."
                : $"No activity yet, while classmates were active in the last {Days(TimeSpan.FromDays(options.InactiveDays))}.",
            new RiskEvidence(LastEventAt: student.LastEventAt, Since: student.LastEventAt));

    public static RiskFlag? Stuck(StudentFacts student, RiskOptions options, DateTimeOffset now)
    {
        var before = now - TimeSpan.FromDays(options.StuckDays);
        var stuck = student.Started.Where(p => p.StartedAt <= before).ToList();
        if (stuck.Count == 0)
        {
            return null;
        }
        var since = stuck.Min(p => p.StartedAt);
        var names = string.Join(", ", stuck.Select(p => p.PointId));
        return new RiskFlag(RiskFlag.Stuck,
            stuck.Count == 1
                ? $"Started {names} {Days(now - since)} ago and has not completed it."
                : $"Started {N(stuck.Count)} progress points more than {Days(TimeSpan.FromDays(options.StuckDays))} ago without completing them: {names}.",
            new RiskEvidence(Points: [.. stuck.Select(p => p.PointId)], Since: since));
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Pct(double percent) => percent.ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Points(double points) => points.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Days(TimeSpan span)
    {
        var days = (int)Math.Floor(span.TotalDays);
        return days >= 1 ? (days == 1 ? "1 day" : $"{N(days)} days") : (int)Math.Floor(span.TotalHours) is var h && h == 1 ? "1 hour" : $"{N(Math.Max(0, (int)Math.Floor(span.TotalHours)))} hours";
    }
}
