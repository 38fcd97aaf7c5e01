using System.Globalization;
using Cairn.Leaderboards;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>The optional <c>leaderboards:</c> section (docs/player-state.md#leaderboards), checked like the rest of a catalog.</summary>
internal static partial class CatalogLoader
{
    private static readonly string[] BoardKeys = ["id", "title", "description", "on", "score", "operator", "by", "order", "reset", "timeZone"];
    private static readonly string[] ScoreKeys = ["field", "counter", "since"];

    private sealed partial class Reader
    {
        /// <summary>The game's boards (every mistake recorded; what is wrong is left out).</summary>
        private LeaderboardRules LeaderboardsSection(YamlMappingNode root)
        {
            if (Get(root, "leaderboards") is not { } node)
            {
                return LeaderboardRules.None;
            }
            var boards = new List<LeaderboardDefinition>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in Try(() => Sequence(node, "'leaderboards'")) ?? [])
            {
                Try(() =>
                {
                    var map = Mapping(item, "a leaderboard");
                    if (Get(map, "id") is YamlScalarNode { Value: { Length: > 0 } id } && !ids.Add(id))
                    {
                        throw Error(item, $"duplicate leaderboard id '{id}'");
                    }
                    if (Board(map) is { } board)
                    {
                        boards.Add(board);
                    }
                });
            }
            return boards.Count == 0 ? LeaderboardRules.None : new LeaderboardRules(boards);
        }

        private LeaderboardDefinition? Board(YamlMappingNode map)
        {
            var errorsBefore = _errors.Count;
            CheckKeys(map, BoardKeys, "a leaderboard");
            var id = RequiredScalar(map, "id", "a leaderboard");
            if (!Access.AdminApi.Identifier().IsMatch(id))
            {
                Record(Error(Get(map, "id")!, $"leaderboard id '{id}' must be letters, digits, '.', '_' or '-' (at most 64; it goes in URLs)"));
            }
            var what = $"leaderboard '{id}'";
            var on = Get(map, "on") is { } onNode
                ? Try(() => Pattern(onNode, $"'on' of {what}"))
                : Fail(map, $"{what} is missing 'on' (the event pattern that scores)");
            var op = Choice(map, "operator", what, null, ("best", LeaderboardOperator.Best), ("latest", LeaderboardOperator.Latest),
                ("sum", LeaderboardOperator.Sum), ("incr", LeaderboardOperator.Incr));
            var lower = Choice(map, "order", what, false, ("higher", false), ("lower", true));
            var reset = Choice(map, "reset", what, LeaderboardReset.Never, ("never", LeaderboardReset.Never), ("daily", LeaderboardReset.Daily),
                ("weekly", LeaderboardReset.Weekly), ("monthly", LeaderboardReset.Monthly));
            var zone = TimeZoneInfo.Utc;
            if (Get(map, "timeZone") is { } zoneNode)
            {
                Try(() =>
                {
                    var name = Scalar(zoneNode);
                    zone = TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found) && found.HasIanaId
                        ? found
                        : throw Error(zoneNode, $"'timeZone' of {what} is not an IANA time zone id ('{name}'; e.g. Europe/Berlin, America/New_York, UTC)");
                });
            }
            LeaderboardScore? score = null;
            if (Get(map, "score") is { } scoreNode)
            {
                if (op == LeaderboardOperator.Incr)
                {
                    Record(Error(scoreNode, $"{what} adds 'by' per event ('operator: incr'): it takes no 'score'"));
                }
                else
                {
                    score = Try(() => Score(scoreNode, what));
                }
            }
            else if (op is not null and not LeaderboardOperator.Incr)
            {
                Record(Error(map, $"{what} is missing 'score' ({{ field: name }}, {{ counter: id }}, count or {{ since: pattern }})"));
            }
            var by = 1.0;
            if (Get(map, "by") is { } byNode)
            {
                if (op != LeaderboardOperator.Incr)
                {
                    Record(Error(byNode, $"'by' of {what} only goes with 'operator: incr'"));
                }
                else
                {
                    Try(() => by = NumberOf(byNode, $"'by' of {what}"));
                }
            }
            if (_errors.Count > errorsBefore || on is null || op is null || lower is null || reset is null)
            {
                return null;
            }
            return new LeaderboardDefinition(id, OptionalScalar(map, "title") ?? id, OptionalScalar(map, "description"), on, score, op.Value, by, lower.Value, reset.Value, zone);
        }

        /// <summary><c>{ field: name }</c>, <c>{ counter: id }</c>, <c>count</c> or <c>{ since: pattern }</c>.</summary>
        private LeaderboardScore Score(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: "count" })
            {
                return new LeaderboardScore(LeaderboardScoreKind.Count, null, null);
            }
            var map = node as YamlMappingNode ?? throw Error(node, $"'score' of {what} must be {{ field: name }}, {{ counter: id }}, count or {{ since: pattern }}");
            CheckKeys(map, ScoreKeys, $"'score' of {what}");
            var given = ScoreKeys.Where(k => Get(map, k) is not null).ToList();
            if (given.Count != 1)
            {
                throw Error(map, $"'score' of {what} needs exactly one of 'field', 'counter', 'since'");
            }
            return given[0] switch
            {
                "field" => new LeaderboardScore(LeaderboardScoreKind.Field, RequiredScalar(map, "field", $"'score' of {what}"), null),
                "counter" => new LeaderboardScore(LeaderboardScoreKind.Counter, RequiredScalar(map, "counter", $"'score' of {what}"), null),
                _ => new LeaderboardScore(LeaderboardScoreKind.Duration, null, Pattern(Get(map, "since")!, $"'score.since' of {what}")),
            };
        }

        private T? Choice<T>(YamlMappingNode map, string key, string what, T? fallback, params (string Name, T Value)[] choices)
            where T : struct
        {
            if (Get(map, key) is not { } node)
            {
                if (fallback is null)
                {
                    Record(Error(map, $"{what} is missing '{key}' ({string.Join(", ", choices.Select(c => c.Name))})"));
                }
                return fallback;
            }
            var text = node is YamlScalarNode { Value: { } v } ? v : null;
            foreach (var (name, value) in choices)
            {
                if (string.Equals(text, name, StringComparison.Ordinal))
                {
                    return value;
                }
            }
            Record(Error(node, $"'{key}' of {what} must be one of {string.Join(", ", choices.Select(c => c.Name))}"));
            return null;
        }
    }
}
