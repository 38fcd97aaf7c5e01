namespace Cairn.Rollups;

/// <summary>A progress point the student started and has not completed.</summary>
internal sealed record StartedPoint(string PointId, DateTimeOffset StartedAt);
