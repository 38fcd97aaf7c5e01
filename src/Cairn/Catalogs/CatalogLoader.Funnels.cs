using System.Globalization;
using Cairn.Funnels;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>The optional <c>funnels:</c> section (docs/analytics.md, Saved funnels), checked like the rest of a catalog.</summary>
internal static partial class CatalogLoader
{
    private static readonly string[] FunnelKeys = ["id", "title", "steps", "windowSeconds", "order", "breakdown", "exclusions"];
    private static readonly string[] ExclusionKeys = ["pattern", "between"];

    private sealed partial class Reader
    {
        /// <summary>The game's saved funnels (every mistake recorded; what is wrong is left out).</summary>
        private List<FunnelDefinition> FunnelsSection(YamlMappingNode root)
        {
            var funnels = new List<FunnelDefinition>();
            if (Get(root, "funnels") is not { } node)
            {
                return funnels;
            }
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in Try(() => Sequence(node, "'funnels'")) ?? [])
            {
                Try(() =>
                {
                    var map = Mapping(item, "a funnel");
                    if (Get(map, "id") is YamlScalarNode { Value: { Length: > 0 } id } && !ids.Add(id))
                    {
                        throw Error(item, $"duplicate funnel id '{id}'");
                    }
                    if (Funnel(map) is { } funnel)
                    {
                        funnels.Add(funnel);
                    }
                });
            }
            return funnels;
        }

        private FunnelDefinition? Funnel(YamlMappingNode map)
        {
            var errorsBefore = _errors.Count;
            CheckKeys(map, FunnelKeys, "a funnel");
            var id = RequiredScalar(map, "id", "a funnel");
            if (!Access.AdminApi.Identifier().IsMatch(id))
            {
                Record(Error(Get(map, "id")!, $"funnel id '{id}' must be letters, digits, '.', '_' or '-' (at most 64; it goes in URLs)"));
            }
            var what = $"funnel '{id}'";
            var steps = new List<EventPattern>();
            if (Get(map, "steps") is not { } stepsNode)
            {
                Record(Error(map, $"{what} is missing 'steps' (a list of event patterns)"));
            }
            else
            {
                var items = Try(() => Sequence(stepsNode, $"'steps' of {what}"))?.ToList() ?? [];
                foreach (var step in items)
                {
                    if (Try(() => Pattern(step, $"a step of {what}")) is { } pattern)
                    {
                        steps.Add(pattern);
                    }
                }
                if (items.Count is 0 or > FunnelDefinition.MaxSteps)
                {
                    Record(Error(stepsNode, $"'steps' of {what} must list 1 to {FunnelDefinition.MaxSteps} event patterns"));
                }
            }
            var window = FunnelDefinition.DefaultWindowSeconds;
            if (Get(map, "windowSeconds") is { } windowNode)
            {
                if (windowNode is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
                    && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= FunnelDefinition.MaxWindowSeconds)
                {
                    window = seconds;
                }
                else
                {
                    Record(Error(windowNode, $"'windowSeconds' of {what} must be a whole number from 1 to {FunnelDefinition.MaxWindowSeconds} (366 days)"));
                }
            }
            var order = Choice(map, "order", what, FunnelOrder.Ordered, ("ordered", FunnelOrder.Ordered), ("strict", FunnelOrder.Strict), ("any", FunnelOrder.Any));
            var breakdown = OptionalScalar(map, "breakdown");
            if (breakdown is not null && !FunnelDefinition.BreakdownPattern().IsMatch(breakdown))
            {
                Record(Error(Get(map, "breakdown")!, $"'breakdown' of {what} must name a field of device, context or data: device.platform"));
            }
            var exclusions = new List<FunnelExclusion>();
            if (Get(map, "exclusions") is { } exclusionsNode)
            {
                foreach (var item in Try(() => Sequence(exclusionsNode, $"'exclusions' of {what}")) ?? [])
                {
                    Try(() =>
                    {
                        var exclusion = Mapping(item, $"an exclusion of {what}");
                        CheckKeys(exclusion, ExclusionKeys, $"an exclusion of {what}");
                        var pattern = Pattern(Get(exclusion, "pattern") ?? throw Error(item, $"an exclusion of {what} is missing 'pattern'"), $"an exclusion of {what}");
                        var between = Get(exclusion, "between") as YamlSequenceNode ?? throw Error(item, $"an exclusion of {what} needs 'between: [i, j]' (step indexes, 0 first)");
                        var bounds = between.Children.Select(c => c is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
                        var problem = bounds.Count != 2 ? "'between' must be two step indexes [i, j]"
                            : FunnelQueryParser.ExclusionProblem(bounds[0], bounds[1], steps.Count, order ?? FunnelOrder.Ordered);
                        if (problem is not null)
                        {
                            throw Error(between, $"an exclusion of {what}: {problem}");
                        }
                        exclusions.Add(new FunnelExclusion(pattern, bounds[0], bounds[1]));
                    });
                }
            }
            return _errors.Count > errorsBefore || order is null
                ? null
                : new FunnelDefinition(steps, window, order.Value, exclusions, breakdown) { Id = id, Title = OptionalScalar(map, "title") };
        }
    }
}
