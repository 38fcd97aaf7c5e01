namespace Cairn.Leaderboards;

/// <summary>When a board starts a new period (at local midnight in the board's time zone; weeks start on Monday).</summary>
internal enum LeaderboardReset
{
    Never,
    Daily,
    Weekly,
    Monthly,
}
