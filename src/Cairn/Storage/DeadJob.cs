namespace Cairn.Storage;

/// <summary>A job that failed too often, kept with its last error until an operator retries it.</summary>
internal sealed record DeadJob(long Id, string OrgId, string Game, string PlayerKey, string PointId, string? TriggerEventId, int Attempts, string? LastError, DateTimeOffset FailedAt);
