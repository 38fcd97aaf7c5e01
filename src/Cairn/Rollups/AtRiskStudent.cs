namespace Cairn.Rollups;

/// <summary>A student with at least one flag, named as the class pages name them.</summary>
internal sealed record AtRiskStudent(string PlayerKey, string DisplayName, double? CompletionRate, double? AverageScore, IReadOnlyList<RiskFlag> Flags);
