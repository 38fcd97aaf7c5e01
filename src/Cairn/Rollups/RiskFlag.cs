namespace Cairn.Rollups;

/// <summary>One reason a student of a class is at risk: a stable code, a sentence for the teacher, and its evidence.</summary>
internal sealed record RiskFlag(string Code, string Reason, RiskEvidence Evidence)
{
    public const string MissingSubmissions = "missing_submissions";
    public const string ScoreTrendDown = "score_trend_down";
    public const string CompletionBelowMedian = "completion_below_median";
    public const string Inactive = "inactive";
    public const string Stuck = "stuck";
}
