using Cairn.Storage;

namespace Cairn.Projections;

/// <summary>
/// A named view recomputed from event history. It says which events concern it and which keys of the event's player they
/// make stale (decided in memory at ingest, never by a store read); a job per (player, key) is then queued with the event,
/// and the handler recomputes that key from the history and returns the result, which the projection's own store
/// (<see cref="IProjectionStore"/>) writes in the transaction that completes the job. Jobs may run twice: a handler reads
/// and returns, it never writes.
/// </summary>
internal interface IProjection
{
    /// <summary>The projection's name: stored with its jobs (keep it stable).</summary>
    string Name { get; }

    /// <summary>Adds the keys this event makes stale (nothing when it does not concern the projection).</summary>
    void Collect(ProjectionEvent e, ICollection<string> keys);

    /// <summary>Recomputes the job's key from the player's history. The result is what the store's writer takes (null: no row).</summary>
    Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken);
}
