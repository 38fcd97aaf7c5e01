using Cairn.Catalogs;

namespace Cairn.Leaderboards;

/// <summary>A board's score source: a data field or a counter (<paramref name="Name"/>), a count, or a duration since a pattern.</summary>
internal sealed record LeaderboardScore(LeaderboardScoreKind Kind, string? Name, EventPattern? Since);
