namespace Cairn.Storage;

/// <summary>
/// A materialized progress cell: one player's result on one point. No row means white; status <c>started</c> means the
/// point's start event happened (since the last reset) and no completion yet: then <see cref="CompletedAt"/> holds the
/// start's time as well (the time of the cell's state) and readers show it as <see cref="StartedAt"/>.
/// </summary>
/// <param name="StartedAt">When the point was last started before its completion (or, for a started cell, since); null without a start pattern or event.</param>
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
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt = null)
{
    /// <summary>Started and not completed (the fourth look of a cell).</summary>
    public bool IsStarted => Status == ProgressStatus.Started;

    /// <summary>The completion time, or null for a started cell.</summary>
    public DateTimeOffset? CompletionTime => IsStarted ? null : CompletedAt;
}
