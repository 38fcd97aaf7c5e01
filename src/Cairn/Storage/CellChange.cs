namespace Cairn.Storage;

/// <summary>A cell that changed, as it is now (Status null = white: the row was removed).</summary>
/// <param name="CompletedAt">Null for a started cell (its start is <paramref name="StartedAt"/>).</param>
internal sealed record CellChange(long Seq, string PlayerKey, string PointId, string? Status, double? Score, DateTimeOffset? CompletedAt, DateTimeOffset? StartedAt = null);
