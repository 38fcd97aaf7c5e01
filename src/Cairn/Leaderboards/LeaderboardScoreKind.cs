namespace Cairn.Leaderboards;

/// <summary>Where a board's value for one event comes from.</summary>
internal enum LeaderboardScoreKind
{
    /// <summary>A numeric <c>data</c> field of the event.</summary>
    Field,

    /// <summary>A state counter (<c>state:</c> rules) as it stands after the event.</summary>
    Counter,

    /// <summary>One per event.</summary>
    Count,

    /// <summary>Seconds since the player's last earlier event matching the <c>since</c> pattern.</summary>
    Duration,
}
