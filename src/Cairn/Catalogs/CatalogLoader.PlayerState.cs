using System.Globalization;
using Cairn.PlayerState;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>The optional <c>state:</c> and <c>achievements:</c> sections (docs/player-state.md), checked like the rest of a catalog.</summary>
internal static partial class CatalogLoader
{
    private static readonly string[] StateKeys = ["waypoints", "rules", "inactivityMinutes"];
    private static readonly string[] AchievementKeys = ["id", "title", "description", "on", "when"];
    private static readonly string[] ConditionKeys = ["counter", "atLeast", "questCompleted", "visitedAll"];

    private static readonly (string Key, StateOperationKind Kind)[] Operations =
    [
        ("addItem", StateOperationKind.AddItem), ("removeItem", StateOperationKind.RemoveItem), ("visit", StateOperationKind.Visit),
        ("startQuest", StateOperationKind.StartQuest), ("completeQuest", StateOperationKind.CompleteQuest),
        ("setFlag", StateOperationKind.SetFlag), ("clearFlag", StateOperationKind.ClearFlag),
        ("addCounter", StateOperationKind.AddCounter), ("location", StateOperationKind.SetLocation),
    ];

    private static readonly string[] RuleKeys = ["on", .. Operations.Select(o => o.Key)];

    private sealed partial class Reader
    {
        /// <summary>The game's state rules and achievements (every mistake recorded; what is wrong is left out).</summary>
        private PlayerStateRules PlayerStateSections(YamlMappingNode root)
        {
            var waypoints = new List<string>();
            var rules = new List<StateRule>();
            TimeSpan? inactivity = null;
            if (Get(root, "state") is { } stateNode && Try(() => Mapping(stateNode, "'state'")) is { } state)
            {
                CheckKeys(state, StateKeys, "'state'");
                if (Get(state, "inactivityMinutes") is { } minutesNode)
                {
                    Try(() =>
                    {
                        var minutes = NumberOf(minutesNode, "'state.inactivityMinutes'");
                        inactivity = minutes is > 0 and <= 1440
                            ? TimeSpan.FromMinutes(minutes)
                            : throw Error(minutesNode, "'state.inactivityMinutes' must be more than 0 and at most 1440 (a day)");
                    });
                }
                if (Get(state, "waypoints") is { } list)
                {
                    foreach (var item in Try(() => Sequence(list, "'state.waypoints'")) ?? [])
                    {
                        Try(() =>
                        {
                            var id = Scalar(item);
                            if (id.Length == 0 || waypoints.Contains(id, StringComparer.Ordinal))
                            {
                                throw Error(item, id.Length == 0 ? "a waypoint id is empty" : $"duplicate waypoint '{id}' in 'state.waypoints'");
                            }
                            waypoints.Add(id);
                        });
                    }
                }
                if (Get(state, "rules") is { } rulesNode)
                {
                    foreach (var item in Try(() => Sequence(rulesNode, "'state.rules'")) ?? [])
                    {
                        Try(() =>
                        {
                            if (StateRuleOf(Mapping(item, "a state rule"), waypoints) is { } rule)
                            {
                                rules.Add(rule);
                            }
                        });
                    }
                }
            }
            var achievements = new List<AchievementDefinition>();
            if (Get(root, "achievements") is { } achievementsNode)
            {
                foreach (var item in Try(() => Sequence(achievementsNode, "'achievements'")) ?? [])
                {
                    Try(() =>
                    {
                        var map = Mapping(item, "an achievement");
                        var id = Get(map, "id") is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;
                        if (id is not null && achievements.Any(a => a.Id == id))
                        {
                            throw Error(item, $"duplicate achievement id '{id}'");
                        }
                        if (Achievement(map, waypoints) is { } achievement)
                        {
                            achievements.Add(achievement);
                        }
                    });
                }
            }
            return rules.Count == 0 && achievements.Count == 0 && waypoints.Count == 0 ? PlayerStateRules.None : new PlayerStateRules(waypoints, rules, achievements, inactivity);
        }

        private StateRule? StateRuleOf(YamlMappingNode map, List<string> waypoints)
        {
            var errorsBefore = _errors.Count;
            CheckKeys(map, RuleKeys, "a state rule");
            var on = Get(map, "on") is { } onNode
                ? Try(() => Pattern(onNode, "'on' of a state rule"))
                : Fail(map, "a state rule is missing 'on' (the event pattern it applies to)");
            var operations = new List<StateOperation>();
            foreach (var (key, kind) in Operations)
            {
                if (Get(map, key) is not { } node)
                {
                    continue;
                }
                Try(() =>
                {
                    if (kind == StateOperationKind.AddCounter)
                    {
                        operations.Add(Counter(node));
                        return;
                    }
                    var target = Value(node, $"'{key}'");
                    if (kind == StateOperationKind.Visit && target.Constant is { } waypoint && waypoints.Count > 0 && !waypoints.Contains(waypoint, StringComparer.Ordinal))
                    {
                        throw Error(node, $"'visit' names waypoint '{waypoint}', which 'state.waypoints' does not list");
                    }
                    operations.Add(new StateOperation(kind, target));
                });
            }
            if (operations.Count == 0 && _errors.Count == errorsBefore)
            {
                Record(Error(map, $"a state rule does nothing: give one of {string.Join(", ", Operations.Select(o => o.Key))}"));
            }
            return _errors.Count > errorsBefore || on is null ? null : new StateRule(on, operations);
        }

        /// <summary><c>addCounter: { counter: id | { field: f }, amount: 2 | { field: n } }</c> (amount defaults to 1).</summary>
        private StateOperation Counter(YamlNode node)
        {
            var map = Mapping(node, "'addCounter'");
            CheckKeys(map, ["counter", "amount"], "'addCounter'");
            var counter = Get(map, "counter") is { } c ? Value(c, "'addCounter.counter'") : throw Error(map, "'addCounter' is missing 'counter'");
            var amount = StateAmount.One;
            if (Get(map, "amount") is { } a)
            {
                if (a is YamlMappingNode fieldMap)
                {
                    amount = new StateAmount(null, FieldOf(fieldMap, "'addCounter.amount'"));
                }
                else if (a is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
                         && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    amount = new StateAmount(number, null);
                }
                else
                {
                    throw Error(a, "'addCounter.amount' must be a number or '{ field: name }'");
                }
            }
            return new StateOperation(StateOperationKind.AddCounter, counter, amount);
        }

        /// <summary>An id: a constant (<c>brass_key</c>) or an event field (<c>{ field: itemId }</c>).</summary>
        private StateValue Value(YamlNode node, string what) => node switch
        {
            YamlMappingNode map => new StateValue(null, FieldOf(map, what)),
            YamlScalarNode { Value: { Length: > 0 } text } => new StateValue(text, null),
            _ => throw Error(node, $"{what} must be an id or '{{ field: name }}'"),
        };

        private string FieldOf(YamlMappingNode map, string what)
        {
            CheckKeys(map, ["field"], what);
            return RequiredScalar(map, "field", what);
        }

        private AchievementDefinition? Achievement(YamlMappingNode map, List<string> waypoints)
        {
            var errorsBefore = _errors.Count;
            CheckKeys(map, AchievementKeys, "an achievement");
            var id = RequiredScalar(map, "id", "an achievement");
            var on = Get(map, "on") is { } onNode ? Try(() => Pattern(onNode, $"'on' of achievement '{id}'")) : null;
            AchievementCondition? when = null;
            if (Get(map, "when") is { } whenNode)
            {
                if (Get(map, "on") is not null)
                {
                    Record(Error(whenNode, $"achievement '{id}' has both 'on' and 'when'; use one"));
                }
                else
                {
                    when = Try(() => Condition(Mapping(whenNode, $"'when' of achievement '{id}'"), id, waypoints));
                }
            }
            else if (Get(map, "on") is null)
            {
                Record(Error(map, $"achievement '{id}' has no rule: give 'on' (an event pattern) or 'when' (a state condition)"));
            }
            return _errors.Count > errorsBefore ? null : new AchievementDefinition(id, OptionalScalar(map, "title"), OptionalScalar(map, "description"), on, when);
        }

        private AchievementCondition Condition(YamlMappingNode map, string id, List<string> waypoints)
        {
            CheckKeys(map, ConditionKeys, $"'when' of achievement '{id}'");
            var given = new[] { "counter", "questCompleted", "visitedAll" }.Where(k => Get(map, k) is not null).ToList();
            if (given.Count != 1)
            {
                throw Error(map, $"'when' of achievement '{id}' needs exactly one of 'counter' (with 'atLeast'), 'questCompleted', 'visitedAll'");
            }
            switch (given[0])
            {
                case "counter":
                    var counter = Scalar(Get(map, "counter")!);
                    var atLeast = Get(map, "atLeast") is { } n ? NumberOf(n, $"'when.atLeast' of achievement '{id}'") : throw Error(map, $"'when.counter' of achievement '{id}' needs 'atLeast'");
                    return new AchievementCondition(counter, atLeast, null, null);
                case "questCompleted":
                    return new AchievementCondition(null, 0, Scalar(Get(map, "questCompleted")!), null);
                default:
                    var listNode = Get(map, "visitedAll")!;
                    var list = Sequence(listNode, $"'when.visitedAll' of achievement '{id}'").Select(Scalar).ToList();
                    if (list.Count == 0)
                    {
                        throw Error(listNode, $"'when.visitedAll' of achievement '{id}' is empty");
                    }
                    if (waypoints.Count > 0 && list.FirstOrDefault(w => !waypoints.Contains(w, StringComparer.Ordinal)) is { } unknown)
                    {
                        throw Error(listNode, $"'when.visitedAll' of achievement '{id}' names waypoint '{unknown}', which 'state.waypoints' does not list");
                    }
                    return new AchievementCondition(null, 0, null, list);
            }
        }

        private T? Fail<T>(YamlNode node, string problem)
            where T : class
        {
            Record(Error(node, problem));
            return null;
        }

        private EventPattern? Fail(YamlNode node, string problem) => Fail<EventPattern>(node, problem);
    }
}
