namespace Cairn.Leaderboards;

/// <summary>How a board folds a player's scores within a period.</summary>
internal enum LeaderboardOperator
{
    /// <summary>The best value (highest, or lowest on a lower-is-better board).</summary>
    Best,

    /// <summary>The value of the last matching event.</summary>
    Latest,

    /// <summary>The sum of the values.</summary>
    Sum,

    /// <summary>A fixed amount (<c>by</c>, default 1) per matching event.</summary>
    Incr,
}
