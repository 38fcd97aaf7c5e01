namespace Cairn.Rollups;

/// <summary>The thresholds of the at-risk flags (section <c>Risk</c>) and how much recent activity the class dashboard shows.</summary>
internal sealed class RiskOptions
{
    public const string SectionName = "Risk";

    /// <summary>Days after an assignment was assigned before an ungraded one counts as missing (missing_submissions). Default 3.</summary>
    public double GraceDays { get; set; } = 3;

    /// <summary>Percentage points the last graded score must fall below the previous one to flag score_trend_down. Default 10.</summary>
    public double ScoreTrendMargin { get; set; } = 10;

    /// <summary>Days without any event after which a student is inactive, when a classmate had an event in that time. Default 7.</summary>
    public double InactiveDays { get; set; } = 7;

    /// <summary>Days a progress point may stay started and not completed before the student is stuck. Default 3.</summary>
    public double StuckDays { get; set; } = 3;

    /// <summary>How many of the class's latest events the dashboard lists. Default 20.</summary>
    public int RecentActivity { get; set; } = 20;

    public string? Problem() =>
        GraceDays < 0 || ScoreTrendMargin < 0 || InactiveDays <= 0 || StuckDays <= 0
            ? "Risk: GraceDays and ScoreTrendMargin must be ≥ 0, InactiveDays and StuckDays > 0."
            : RecentActivity is < 0 or > 200 ? "Risk:RecentActivity must be 0..200." : null;
}
