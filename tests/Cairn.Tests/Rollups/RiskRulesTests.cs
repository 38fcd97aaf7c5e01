using Cairn.Rollups;

namespace Cairn.Tests.Rollups;

/// <summary>Issue #12: each risk rule on its own — it fires, it does not, and its evidence is the right one.</summary>
public sealed class RiskRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly RiskOptions Options = new();

    private static AssignmentFact Graded(string id, double daysAgo, double score) => new(id, Now.AddDays(-daysAgo - 1), Now.AddDays(-daysAgo), score, ["S"]);

    private static AssignmentFact Open(string id, double assignedDaysAgo) => new(id, Now.AddDays(-assignedDaysAgo), null, null, ["S"]);

    private static StudentFacts Student(string key, DateTimeOffset? lastEventAt, params AssignmentFact[] assignments) => Student(key, lastEventAt, [], assignments);

    private static StudentFacts Student(string key, DateTimeOffset? lastEventAt, StartedPoint[] started, params AssignmentFact[] assignments)
    {
        var graded = assignments.Count(a => a.Score is not null);
        return new StudentFacts(key, assignments.Length, graded, assignments.Length == 0 ? null : (double)graded / assignments.Length,
            graded == 0 ? null : assignments.Where(a => a.Score is not null).Average(a => a.Score!.Value), lastEventAt, assignments, started);
    }

    [Fact]
    public void Issue_12_missing_submissions_fires_only_past_the_grace_period_and_names_the_assignments()
    {
        var student = Student("p", Now, Open("late", 3.5), Open("fresh", 2.5), Graded("done", 5, 80), Open("later", 10));

        var flag = RiskRules.MissingSubmissions(student, Options, Now);

        Assert.NotNull(flag);
        Assert.Equal(RiskFlag.MissingSubmissions, flag.Code);
        Assert.Equal(["late", "later"], flag.Evidence.Assignments);
        Assert.Equal(Now.AddDays(-10), flag.Evidence.Since);
        Assert.Contains("late, later", flag.Reason, StringComparison.Ordinal);
        Assert.Null(RiskRules.MissingSubmissions(Student("p", Now, Open("fresh", 2.5), Graded("done", 5, 80)), Options, Now));
        // The same facts, later: the grace period ran out.
        Assert.Equal(["fresh"], RiskRules.MissingSubmissions(Student("p", Now, Open("fresh", 2.5)), Options, Now.AddDays(1))!.Evidence.Assignments);
    }

    [Fact]
    public void Issue_12_score_trend_down_compares_the_last_two_grades_in_grading_order_against_the_margin()
    {
        var down = Student("p", Now, Graded("b", 1, 60), Graded("a", 3, 75), Graded("c", 9, 100));

        var flag = RiskRules.ScoreTrendDown(down, Options);

        Assert.NotNull(flag);
        Assert.Equal(["a", "b"], flag.Evidence.Assignments);
        Assert.Equal([75.0, 60.0], flag.Evidence.Scores);
        Assert.Equal("The last graded score, 60 % on b, is 15 points below the one before, 75 % on a.", flag.Reason);
        // A drop of exactly the margin is not flagged; a rise is not; one grade is not a trend.
        Assert.Null(RiskRules.ScoreTrendDown(Student("p", Now, Graded("a", 3, 75), Graded("b", 1, 65)), Options));
        Assert.Null(RiskRules.ScoreTrendDown(Student("p", Now, Graded("a", 3, 60), Graded("b", 1, 90)), Options));
        Assert.Null(RiskRules.ScoreTrendDown(Student("p", Now, Graded("a", 3, 60)), Options));
        Assert.NotNull(RiskRules.ScoreTrendDown(Student("p", Now, Graded("a", 3, 75), Graded("b", 1, 65)), new RiskOptions { ScoreTrendMargin = 5 }));
    }

    [Fact]
    public void Issue_12_completion_below_median_uses_the_class_median_and_lists_the_open_assignments()
    {
        var low = Student("p", Now, Graded("a", 3, 80), Open("b", 1), Open("c", 1));

        var flag = RiskRules.CompletionBelowMedian(low, median: 0.5);

        Assert.NotNull(flag);
        Assert.Equal(0.5, flag.Evidence.Median);
        Assert.Equal(1.0 / 3, flag.Evidence.CompletionRate!.Value, 9);
        Assert.Equal(["b", "c"], flag.Evidence.Assignments);
        Assert.Equal("Completed 1 of 3 assignments (33.3 %), below the class median of 50 %.", flag.Reason);
        Assert.Null(RiskRules.CompletionBelowMedian(Student("p", Now, Graded("a", 3, 80), Open("b", 1)), median: 0.5));
        Assert.Null(RiskRules.CompletionBelowMedian(Student("p", Now), median: 0.5));
        Assert.Equal(2.0 / 3, RollupCalculator.Median([1, 0, 2.0 / 3]));
        Assert.Equal(0.5, RollupCalculator.Median([1, 0, 0.25, 0.75]));
        Assert.Null(RollupCalculator.Median([]));
    }

    [Fact]
    public void Issue_12_inactive_needs_a_classmate_active_in_the_window()
    {
        var quiet = Student("quiet", Now.AddDays(-8));
        var never = Student("never", null);
        var busy = Student("busy", Now.AddDays(-1));

        var flagged = RiskRules.Evaluate([quiet, never, busy], null, Options, Now);
        var nobodyActive = RiskRules.Evaluate([quiet, never], null, Options, Now);

        Assert.Equal(["quiet", "never"], flagged.Select(f => f.Student.PlayerKey));
        var flag = flagged[0].Flags.Single();
        Assert.Equal(RiskFlag.Inactive, flag.Code);
        Assert.Equal(Now.AddDays(-8), flag.Evidence.LastEventAt);
        Assert.StartsWith("No activity for 8 days (since 2026-03-02)", flag.Reason, StringComparison.Ordinal);
        Assert.StartsWith("No activity yet", flagged[1].Flags.Single().Reason, StringComparison.Ordinal);
        Assert.Empty(nobodyActive);
    }

    [Fact]
    public void Issue_12_stuck_fires_for_points_started_long_ago_and_names_them()
    {
        var student = Student("p", Now, [new StartedPoint("old", Now.AddDays(-4)), new StartedPoint("new", Now.AddDays(-1))]);

        var flag = RiskRules.Stuck(student, Options, Now);

        Assert.NotNull(flag);
        Assert.Equal(["old"], flag.Evidence.Points);
        Assert.Equal(Now.AddDays(-4), flag.Evidence.Since);
        Assert.Equal("Started old 4 days ago and has not completed it.", flag.Reason);
        Assert.Null(RiskRules.Stuck(Student("p", Now, [new StartedPoint("new", Now.AddDays(-1))]), Options, Now));
        Assert.Equal(["new", "old"], RiskRules.Stuck(student, Options, Now.AddDays(3))!.Evidence.Points!.Order());
    }
}
