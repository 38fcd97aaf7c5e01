namespace Cairn.Leaderboards;

/// <summary>The answers of the leaderboard reads.</summary>
internal static class LeaderboardViews
{
    /// <summary>An entry: <c>playerKey</c> and the real name only for a player the caller's scope covers, else a stable neutral label.</summary>
    internal sealed record Entry(long Rank, string? PlayerKey, string DisplayName, double Score, DateTimeOffset At);

    /// <summary>The period read: <c>current</c> or <c>previous</c>, its start and end (none for a board that never resets).</summary>
    internal sealed record Period(string Name, DateTimeOffset? Start, DateTimeOffset? End);

    internal sealed record Board(string Game, string BoardId, string Title, string Order, string Scope, Period Period, IReadOnlyList<Entry> Entries, string? NextCursor);

    internal sealed record PlayerRank(string Game, string BoardId, string Title, string Order, string Scope, Period Period, Entry Player, IReadOnlyList<Entry> Above, IReadOnlyList<Entry> Below);
}
