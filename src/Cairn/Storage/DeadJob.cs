namespace Cairn.Storage;

/// <summary>A job that failed too often, kept with its last error until an operator retries it.</summary>
internal sealed record DeadJob(
    long Id, string Projection, string OrgId, string Game, string PlayerKey, string Key, string? TriggerEventId, int Attempts, string? LastError, DateTimeOffset FailedAt);
