using Cairn.Catalogs;

namespace Cairn.Projections;

/// <summary>
/// A projection whose rows depend on the catalog's rules: after the catalogs load (at start-up) and after every reload,
/// it queues a recompute of each row computed with a rule version other than the one in force
/// (<see cref="Jobs.CatalogRecomputer"/> calls every registered one).
/// </summary>
internal interface ICatalogStaleRows
{
    /// <summary>The projection's name, for logs.</summary>
    string Projection { get; }

    /// <summary>Queues the recomputes the catalogs in force make necessary; returns how many jobs were queued or bumped.</summary>
    Task<int> QueueStaleAsync(CatalogSet catalogs, DateTimeOffset now, CancellationToken cancellationToken);
}
