using Cairn.Catalogs;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Leaderboards;

/// <summary>
/// The leaderboard projection: per (player, game, board), the player's score in each period of the board. The key is the
/// board id: an event matching a board's patterns (decided in memory from the compiled catalog) queues a recompute of that
/// board for the player, which replays the player's events of the board's types and returns a score per period. So a
/// recompute from the whole history is the only way a score is made: incremental and from-scratch cannot differ.
/// </summary>
internal sealed class LeaderboardProjection(IEventLog events, CatalogRegistry catalogs) : IProjection
{
    public const string Name = "leaderboards";

    /// <summary>
    /// The scores (recomputed on a rekey, and with no retention time of their own: a recompute after the purge keeps only
    /// the periods whose events remain) and the leaderboard opt-outs (moved as they are).
    /// </summary>
    public static readonly IReadOnlyList<PlayerKeyTable> PlayerTables =
    [
        new("leaderboard_scores", Name, ["org_id", "game", "board_id", "period_start"], JobKeyColumn: "board_id", RetentionColumn: null),
        new("leaderboard_optouts", Name, ["org_id"], JobKeyColumn: null, RetentionColumn: null),
    ];

    string IProjection.Name => Name;

    public void Collect(ProjectionEvent e, ICollection<string> keys)
    {
        if (catalogs.Current.For(e.Game) is not { Leaderboards: { IsEmpty: false } boards } catalog)
        {
            return;
        }
        foreach (var board in boards.Boards)
        {
            if (LeaderboardRules.Concerns(board, catalog.PlayerState, e.EventType, e.Data))
            {
                keys.Add(board.Id);
            }
        }
    }

    public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
    {
        // A board the catalog no longer declares (or a game that is gone) keeps no scores: the rows are removed.
        if (catalogs.Current.For(job.Game) is not { } catalog || catalog.Leaderboards.Find(job.Key) is not { } board)
        {
            return null;
        }
        var history = await events.GetHistoryAsync(job.OrgId, job.Game, job.PlayerKey, LeaderboardRules.EventTypesOf(board, catalog.PlayerState), cancellationToken);
        return LeaderboardCalculator.Compute(board, catalog.PlayerState, history);
    }
}
