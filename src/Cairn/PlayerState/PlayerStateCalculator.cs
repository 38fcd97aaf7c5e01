using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.PlayerState;

/// <summary>Replays a player's events of a game, in (timestamp, arrival) order, through the game's state rules and achievements.</summary>
internal static class PlayerStateCalculator
{
    /// <returns>The state and achievements; null when no event matched a rule (the player has no state in the game).</returns>
    public static PlayerStateResult? Compute(PlayerStateRules rules, IEnumerable<HistoryEvent> history)
    {
        var state = new PlayerStateBuilder();
        var earned = new List<EarnedAchievement>();
        var earnedIds = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? started = null, last = null, waypointsDone = null;
        var playtime = TimeSpan.Zero;
        foreach (var e in history.OrderBy(e => e.Timestamp).ThenBy(e => e.Seq))
        {
            var matched = false;
            foreach (var rule in rules.Rules)
            {
                if (!PatternMatcher.Matches(rule.On, e.EventType, e.Data))
                {
                    continue;
                }
                matched = true;
                foreach (var op in rule.Operations)
                {
                    var amount = op.Amount?.Resolve(e.Data) ?? 0;
                    if (op.Target.Resolve(e.Data) is { } target && (op.Amount is null || op.Amount.Resolve(e.Data) is not null))
                    {
                        state.Apply(op.Kind, target, amount, e.Timestamp);
                    }
                }
            }
            foreach (var achievement in rules.Achievements)
            {
                if (achievement.On is not null && PatternMatcher.Matches(achievement.On, e.EventType, e.Data))
                {
                    matched = true;
                    if (earnedIds.Add(achievement.Id))
                    {
                        earned.Add(new EarnedAchievement(achievement.Id, e.Timestamp, e.EventId));
                    }
                }
            }
            if (!matched)
            {
                continue;
            }
            started ??= e.Timestamp;
            // Playtime (gap-based, beside sessions: docs/analytics.md#playtime-and-sessions): a gap to the previous counted event adds up when shorter than the threshold.
            if (last is { } previous && e.Timestamp - previous < rules.Inactivity)
            {
                playtime += e.Timestamp - previous;
            }
            last = e.Timestamp;
            foreach (var achievement in rules.Achievements)
            {
                if (achievement.When is { } when && !earnedIds.Contains(achievement.Id) && when.Holds(state))
                {
                    earnedIds.Add(achievement.Id);
                    earned.Add(new EarnedAchievement(achievement.Id, e.Timestamp, e.EventId));
                }
            }
            if (waypointsDone is null && rules.Waypoints.Count > 0 && rules.Waypoints.All(state.HasVisited))
            {
                waypointsDone = e.Timestamp;
            }
        }
        return started is null ? null : new PlayerStateResult(state.Build(started.Value, last!.Value, waypointsDone, playtime.TotalSeconds), earned);
    }
}
