namespace Cairn.Rollups;

/// <summary>
/// The class dashboard: the totals, per standard and per assignment the level distribution, as the class's last rollup job
/// stored them (<paramref name="ComputedAt"/> null: none yet); the at-risk students, their flags evaluated from the stored
/// evidence against the time of the read; the class's latest events.
/// </summary>
internal sealed record GroupDashboard(
    string GroupId, string Name, string Game, DateTimeOffset? ComputedAt, int Students, int Assigned, int Graded, double? CompletionRate, double? AverageScore,
    double? MedianCompletion, IReadOnlyList<AtRiskStudent> AtRisk, IReadOnlyList<ActivityItem> RecentActivity, IReadOnlyList<DashboardStandard> Standards,
    IReadOnlyList<DashboardAssignment> Assignments);
