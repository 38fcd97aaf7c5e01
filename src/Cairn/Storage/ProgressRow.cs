namespace Cairn.Storage;

/// <summary>A materialized progress cell: one player's result on one point. No row means white.</summary>
internal sealed record ProgressRow(
    string OrgId,
    string Game,
    string PlayerKey,
    string PointId,
    string Status,
    double? Score,
    double? DurationSeconds,
    int? Count,
    DateTimeOffset CompletedAt,
    string ScoreVersion,
    string TriggerEventId,
    DateTimeOffset UpdatedAt);
