namespace Cairn.Leaderboards;

/// <summary>The answers of the leaderboard reads.</summary>
internal static class LeaderboardViews
{
    /// <summary>An entry: <c>playerKey</c> and the real name only for a player the caller's scope covers, else a stable neutral label.</summary>
    internal sealed record BoardEntry(long Rank, string? PlayerKey, string DisplayName, double Score, DateTimeOffset At);

    /// <summary>The period read: <c>current</c> or <c>previous</c>, its start and end (none for a board that never resets).</summary>
    internal sealed record BoardPeriod(string Name, DateTimeOffset? Start, DateTimeOffset? End);

    internal sealed record BoardPage(string Game, string BoardId, string Title, string Order, string Scope, BoardPeriod Period, IReadOnlyList<BoardEntry> Entries, string? NextCursor);

    /// <summary>A player's place: <c>player</c> is left out (and the lists empty) when they have no visible score in the period and scope.</summary>
    internal sealed record BoardPlayerRank(string Game, string BoardId, string Title, string Order, string Scope, BoardPeriod Period, BoardEntry? Player, IReadOnlyList<BoardEntry> Above, IReadOnlyList<BoardEntry> Below);
}
