using System.Text.Json;
using Cairn.Mastery;
using Cairn.Rollups;
using Cairn.Storage;

namespace Cairn.Tests.Rollups;

/// <summary>Issue #12: what a class rollup counts, from members' events and mastery rows.</summary>
public sealed class RollupCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static long _seq;

    private static HistoryEvent Lms(string type, string assignment, int minute, double? score = null, string? classId = "c1", double? max = null, params string[] standards)
    {
        var data = new Dictionary<string, object?> { ["assignment_id"] = assignment, ["standard_ids"] = standards.Length == 0 ? new[] { "S1" } : standards };
        if (classId is not null)
        {
            data["class_id"] = classId;
        }
        if (score is not null)
        {
            data["score"] = score;
        }
        if (max is not null)
        {
            data["max_score"] = max;
        }
        return new HistoryEvent("e" + (++_seq), type, T0.AddMinutes(minute), JsonSerializer.SerializeToElement(data), _seq);
    }

    private static MasteryRow Row(string player, string standard, string level) =>
        new("o", "g", player, standard, 0.5, level, 1, 1, 1, 80, 80, T0, T0, "e", "default", T0);

    [Fact]
    public void Issue_12_the_latest_grade_counts_other_classes_do_not_and_levels_count_members_without_rows_as_not_started()
    {
        var a = new MemberInput("a", [
            Lms("ASSIGNMENT_ASSIGNED", "x", 0),
            Lms("SUBMISSION_GRADED", "x", 10, 40),
            Lms("SUBMISSION_GRADED", "x", 20, 9, max: 10), // a regrade: 90 %
            Lms("ASSIGNMENT_ASSIGNED", "other-class", 0, classId: "c2"),
            Lms("SUBMISSION_CREATED", "y", 5, standards: ["S1", "S2"]),
        ], [Row("a", "S1", MasteryLevels.ProficientLevel)], [], T0.AddMinutes(20));
        var b = new MemberInput("b", [Lms("ASSIGNMENT_ASSIGNED", "x", 0, classId: null)], [], [], T0);

        var rollup = RollupCalculator.Compute("c1", [a, b], T0.AddDays(1));

        Assert.Equal(new ClassSummary(2, 3, 1, 1.0 / 3, 90, 0.25, T0.AddDays(1)), rollup.Summary);
        var sa = rollup.Students.Single(s => s.PlayerKey == "a");
        Assert.Equal(["x", "y"], sa.Assignments.Select(f => f.AssignmentId));
        Assert.Equal(90, sa.Assignments[0].Score);
        Assert.Equal(T0.AddMinutes(20), sa.Assignments[0].GradedAt);
        Assert.Equal(0.5, sa.CompletionRate);
        var x = rollup.Assignments.Single(r => r.AssignmentId == "x");
        Assert.Equal((2, 1, 90.0), (x.Assigned, x.Graded, x.AverageScore!.Value));
        Assert.Equal(new LevelCounts(1, 0, 0, 1, 0), x.Levels);
        var y = rollup.Assignments.Single(r => r.AssignmentId == "y");
        Assert.Equal(new LevelCounts(1, 0, 0, 1, 0), y.Levels);
        Assert.Equal(["S1", "S2"], rollup.Standards.Select(s => s.StandardId));
        Assert.Equal(new LevelCounts(1, 0, 0, 1, 0), rollup.Standards[0].Levels);
        Assert.Equal(new LevelCounts(2, 0, 0, 0, 0), rollup.Standards[1].Levels);
    }
}
