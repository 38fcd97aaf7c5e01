using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.PlayerState;

namespace Cairn.Leaderboards;

/// <summary>A game's compiled <c>leaderboards:</c> section: the boards in catalog order, and which events concern each.</summary>
internal sealed class LeaderboardRules
{
    public static readonly LeaderboardRules None = new([]);

    public LeaderboardRules(IReadOnlyList<LeaderboardDefinition> boards) => Boards = boards;

    public IReadOnlyList<LeaderboardDefinition> Boards { get; }

    public bool IsEmpty => Boards.Count == 0;

    public LeaderboardDefinition? Find(string boardId) => Boards.FirstOrDefault(b => b.Id == boardId);

    /// <summary>
    /// The event types a recompute of the board reads: its <c>on</c> and <c>since</c> patterns', and for a counter score the
    /// types of the game's state rules (the counter is replayed).
    /// </summary>
    public static IReadOnlyCollection<string> EventTypesOf(LeaderboardDefinition board, PlayerStateRules state)
    {
        var types = new HashSet<string>(StringComparer.Ordinal) { board.On.EventType };
        if (board.Score?.Since is { } since)
        {
            types.Add(since.EventType);
        }
        if (board.Score?.Kind == LeaderboardScoreKind.Counter)
        {
            types.UnionWith(state.Rules.Select(r => r.On.EventType));
        }
        return types;
    }

    /// <summary>Does an incoming event concern the board? (In memory, with the trigger index's matching.)</summary>
    public static bool Concerns(LeaderboardDefinition board, PlayerStateRules state, string eventType, JsonObject? data) =>
        Matches(board.On, eventType, data)
        || (board.Score?.Since is { } since && Matches(since, eventType, data))
        || (board.Score?.Kind == LeaderboardScoreKind.Counter && state.Rules.Any(r => Matches(r.On, eventType, data)));

    private static bool Matches(EventPattern pattern, string eventType, JsonObject? data) =>
        pattern.EventType == eventType
        && pattern.Data.All(d => data is not null && data.TryGetPropertyValue(d.Field, out var node) && MatchValue.Of(node) is { } value && d.Values.Contains(value));
}
