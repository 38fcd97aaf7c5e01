namespace Cairn.Leaderboards.Storage;

/// <summary>A place in a board's order, the keyset (score, at, playerKey): what a cursor holds.</summary>
internal sealed record LeaderboardPosition(double Score, DateTimeOffset At, string PlayerKey);
