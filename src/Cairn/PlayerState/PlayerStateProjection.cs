using Cairn.Catalogs;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.PlayerState;

/// <summary>
/// The player-state projection: per (player, game), the state the catalog's <c>state:</c> rules build (location, inventory,
/// waypoints, quests, flags, counters) and the <c>achievements:</c> earned. The key is the game: any event matching one of
/// the game's rules or achievement patterns (decided in memory from the compiled catalog) queues a recompute, which replays
/// the player's events of those types in (timestamp, arrival) order.
/// </summary>
internal sealed class PlayerStateProjection(IEventLog events, CatalogRegistry catalogs) : IProjection
{
    public const string Name = "player-state";

    /// <summary>The state document (recomputed on a rekey) and the achievements (recomputed with it); neither has a retention time.</summary>
    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
    [
        new("player_state", Name, ["org_id", "game"], JobKeyColumn: "game", RetentionColumn: null),
        new("player_achievements", Name, ["org_id", "game", "achievement_id"], JobKeyColumn: "game", RetentionColumn: null),
    ];

    string IProjection.Name => Name;

    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
        if (catalogs.Current.For(e.Game) is { PlayerState: { IsEmpty: false } rules } && rules.Matches(e.EventType, e.Data))
        {
            keys.Add(e.Game);
        }
    }

    public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
    {
        // A game whose catalog lost its rules (or is gone) keeps no state: the rows are removed.
        if (catalogs.Current.For(job.Key) is not { PlayerState: { IsEmpty: false } rules })
        {
            return null;
        }
        var history = await events.GetHistoryAsync(job.OrgId, job.Key, job.PlayerKey, rules.EventTypes, cancellationToken);
        return PlayerStateCalculator.Compute(rules, history) is { } result ? result with { RuleVersion = PlayerStateRuleVersion.Of(rules) } : null;
    }
}
