namespace Cairn.Storage;

/// <summary>A cell that changed, as it is now (Status null = white: the row was removed).</summary>
internal sealed record CellChange(long Seq, string PlayerKey, string PointId, string? Status, double? Score, DateTimeOffset? CompletedAt);
