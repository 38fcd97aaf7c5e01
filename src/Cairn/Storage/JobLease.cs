namespace Cairn.Storage;

/// <summary>A job a worker has claimed until its lease runs out: recompute one (player, point).</summary>
/// <param name="Version">Bumped by every new trigger of the same (player, point); the job is done only if it did not move.</param>
internal sealed record JobLease(long Id, string OrgId, string Game, string PlayerKey, string PointId, long Version, int Attempts, string? TriggerEventId);
