using Cairn.Catalogs;
using Cairn.Projections;
using Cairn.PlaySessions.Storage;
using Cairn.Storage;

namespace Cairn.PlaySessions;

/// <summary>
/// The sessions projection: per (player, game), the play sessions cut from all the player's events of the game
/// (<see cref="PlaySessionCalculator"/>) with the game's <c>sessions:</c> settings. The key is the game: every event of a game
/// whose catalog has a <c>sessions:</c> section queues a recompute, which replays the player's events of the game and
/// replaces the rows (games without one keep no sessions and queue nothing).
/// </summary>
internal sealed class SessionsProjection(IPlaySessionStore store, CatalogRegistry catalogs) : IProjection
{
    public const string Name = "sessions";

    /// <summary>The sessions (recomputed on a rekey); purged with the events older than the retention cutoff, by their end.</summary>
    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
    [
        new("play_sessions", Name, ["org_id", "game", "started_at"], JobKeyColumn: "game", RetentionColumn: "ended_at"),
    ];

    string IProjection.Name => Name;

    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
        if (catalogs.Current.For(e.Game)?.Sessions is not null)
        {
            keys.Add(e.Game);
        }
    }

    public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
    {
        // A game whose catalog is gone or lost its sessions: section keeps no sessions: the rows are removed.
        if (catalogs.Current.For(job.Key)?.Sessions is not { } settings)
        {
            return null;
        }
        var events = await store.GetEventsAsync(job.OrgId, job.Key, job.PlayerKey, cancellationToken);
        return PlaySessionCalculator.Compute(settings, events);
    }
}
