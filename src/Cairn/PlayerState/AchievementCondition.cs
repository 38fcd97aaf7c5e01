namespace Cairn.PlayerState;

/// <summary>
/// A state condition that awards an achievement (exactly one part is set): a counter at least a value, a quest completed,
/// or every waypoint of a list visited.
/// </summary>
internal sealed record AchievementCondition(string? Counter, double AtLeast, string? QuestCompleted, IReadOnlyList<string>? VisitedAll)
{
    public bool Holds(PlayerStateBuilder state) =>
        Counter is not null ? state.Counter(Counter) >= AtLeast
        : QuestCompleted is not null ? state.HasCompleted(QuestCompleted)
        : VisitedAll!.All(state.HasVisited);
}
