namespace Cairn.Leaderboards.Storage;

/// <summary>The read side of the leaderboard projection, and the players' leaderboard opt-outs (left out of every board).</summary>
internal interface ILeaderboardStore
{
    /// <summary>Entries in rank order after a position (from the top without one); opted-out players are left out and not counted.</summary>
    Task<IReadOnlyList<LeaderboardEntry>> GetPageAsync(LeaderboardQuery query, LeaderboardPosition? after, int limit, CancellationToken cancellationToken);

    /// <summary>The <paramref name="limit"/> entries just above a position, in rank order.</summary>
    Task<IReadOnlyList<LeaderboardEntry>> GetAboveAsync(LeaderboardQuery query, LeaderboardPosition before, int limit, CancellationToken cancellationToken);

    /// <summary>One player's entry (null: no score in the period, opted out, or outside the query's players).</summary>
    Task<LeaderboardEntry?> GetEntryAsync(LeaderboardQuery query, string playerKey, CancellationToken cancellationToken);

    /// <summary>Records whether a player of an org keeps off leaderboards (their scores are still computed, never shown).</summary>
    Task SetOptOutAsync(string orgId, string playerKey, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> IsOptedOutAsync(string orgId, string playerKey, CancellationToken cancellationToken);
}
