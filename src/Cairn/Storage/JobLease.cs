namespace Cairn.Storage;

/// <summary>A job a worker has claimed until its lease runs out: recompute one key of one projection for one player.</summary>
/// <param name="Projection">The projection that owns the job (<see cref="Projections.IProjection.Name"/>).</param>
/// <param name="Key">The projection's key (for progress, the point id).</param>
/// <param name="Version">Bumped by every new trigger of the same job; the job is done only if it did not move.</param>
internal sealed record JobLease(
    long Id, string Projection, string OrgId, string Game, string PlayerKey, string Key, long Version, int Attempts, string? TriggerEventId);
