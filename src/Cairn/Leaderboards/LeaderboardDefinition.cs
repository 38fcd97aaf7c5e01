using Cairn.Catalogs;

namespace Cairn.Leaderboards;

/// <summary>One board of a game's <c>leaderboards:</c> section (docs/player-state.md#leaderboards).</summary>
/// <param name="Score">Null for <see cref="LeaderboardOperator.Incr"/>, which adds <paramref name="By"/> per event.</param>
internal sealed record LeaderboardDefinition(
    string Id, string Title, string? Description, EventPattern On, LeaderboardScore? Score, LeaderboardOperator Operator, double By,
    bool LowerIsBetter, LeaderboardReset Reset, TimeZoneInfo TimeZone)
{
    /// <summary>Whether <paramref name="candidate"/> ranks above <paramref name="current"/> on this board.</summary>
    public bool Better(double candidate, double current) => LowerIsBetter ? candidate < current : candidate > current;
}
