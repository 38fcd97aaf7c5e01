using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Cairn.Catalogs;

namespace Cairn.PlayerState;

/// <summary>
/// A game's compiled <c>state:</c> and <c>achievements:</c> sections: the rules, the achievements, the declared waypoints,
/// and an index by event type, so deciding whether an event concerns the player's state costs a lookup (never a store read).
/// </summary>
internal sealed class PlayerStateRules
{
    public static readonly PlayerStateRules None = new([], [], []);

    private readonly FrozenDictionary<string, EventPattern[]> _patternsByType;

    /// <summary>The default of <c>state.inactivityMinutes</c>: a gap between two events this long or longer is not playtime.</summary>
    public static readonly TimeSpan DefaultInactivity = TimeSpan.FromMinutes(30);

    public PlayerStateRules(
        IReadOnlyList<string> waypoints, IReadOnlyList<StateRule> rules, IReadOnlyList<AchievementDefinition> achievements, TimeSpan? inactivity = null)
    {
        Waypoints = waypoints;
        Inactivity = inactivity ?? DefaultInactivity;
        Rules = rules;
        Achievements = achievements;
        _patternsByType = rules.Select(r => r.On).Concat(achievements.Where(a => a.On is not null).Select(a => a.On!))
            .GroupBy(p => p.EventType, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The game's waypoints (<c>state.waypoints</c>), in order: what completion counts when the game has no points.</summary>
    public IReadOnlyList<string> Waypoints { get; }

    public IReadOnlyList<StateRule> Rules { get; }

    /// <summary>
    /// The inactivity threshold of playtime (<c>state.inactivityMinutes</c>, default 30 min): playtime is the sum of the gaps
    /// between consecutive counted events that are shorter than it.
    /// </summary>
    public TimeSpan Inactivity { get; }

    public IReadOnlyList<AchievementDefinition> Achievements { get; }

    public bool IsEmpty => Rules.Count == 0 && Achievements.Count == 0;

    /// <summary>The event types any rule or achievement pattern names: the history a recompute reads.</summary>
    public IReadOnlyCollection<string> EventTypes => _patternsByType.Keys;

    /// <summary>Does an incoming event match a state rule or an achievement pattern? (Same matching as the trigger index.)</summary>
    public bool Matches(string eventType, JsonObject? data)
    {
        if (!_patternsByType.TryGetValue(eventType, out var patterns))
        {
            return false;
        }
        foreach (var pattern in patterns)
        {
            if (pattern.Data.All(d => data is not null && data.TryGetPropertyValue(d.Field, out var node) && MatchValue.Of(node) is { } value && d.Values.Contains(value)))
            {
                return true;
            }
        }
        return false;
    }
}
