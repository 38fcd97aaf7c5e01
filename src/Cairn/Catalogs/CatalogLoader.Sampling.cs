using System.Globalization;
using Cairn.Ingest.Sampling;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>The optional <c>sampling:</c> section (docs/ingest.md, Sampling), checked like the rest of a catalog.</summary>
internal static partial class CatalogLoader
{
    private static readonly string[] SamplingKeys = ["preset", "rules"];
    private static readonly string[] SamplingRuleKeys = ["eventType", "category", "rate"];

    private sealed partial class Reader
    {
        private SamplingRules SamplingSection(YamlMappingNode root)
        {
            if (Get(root, "sampling") is not { } node || Try(() => Mapping(node, "'sampling'")) is not { } sampling)
            {
                return SamplingRules.None;
            }
            CheckKeys(sampling, SamplingKeys, "'sampling'");
            string? preset = null;
            if (Get(sampling, "preset") is { } presetNode)
            {
                preset = Try(() => Scalar(presetNode));
                if (preset is not null && preset != SamplingPreset.Name)
                {
                    Record(Error(presetNode, $"unknown sampling preset '{preset}' (the one preset is '{SamplingPreset.Name}': the defaults of seeds 001 and 003)"));
                    preset = null;
                }
            }
            var rules = new List<SamplingRule>();
            if (Get(sampling, "rules") is { } rulesNode)
            {
                foreach (var item in Try(() => Sequence(rulesNode, "'sampling.rules'")) ?? [])
                {
                    Try(() =>
                    {
                        var map = Mapping(item, "a sampling rule");
                        CheckKeys(map, SamplingRuleKeys, "a sampling rule");
                        var eventType = OptionalScalar(map, "eventType");
                        var category = OptionalScalar(map, "category");
                        if ((eventType is null) == (category is null))
                        {
                            throw Error(item, "a sampling rule names exactly one of 'eventType' or 'category'");
                        }
                        if (category is not null && !Taxonomy.Categories.ContainsKey(category))
                        {
                            throw Error(Get(map, "category")!, $"unknown category '{category}' (known: {string.Join(", ", Taxonomy.Categories.Keys)})");
                        }
                        var rateNode = Get(map, "rate") ?? throw Error(item, "a sampling rule is missing 'rate' (0 to 1, or a percentage such as 10%)");
                        var rate = Rate(rateNode);
                        var line = (int)item.Start.Line;
                        rules.Add(new SamplingRule(eventType, category, rate, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}:{line}")));
                    });
                }
            }
            return rules.Count == 0 && preset is null ? SamplingRules.None : new SamplingRules(rules, preset);
        }

        private double Rate(YamlNode node)
        {
            var text = Scalar(node).Trim();
            var percent = text.EndsWith('%');
            if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            {
                throw Error(node, $"'rate' must be a number from 0 to 1 or a percentage such as 10% (got '{text}')");
            }
            var rate = percent ? value / 100 : value;
            return rate is >= 0 and <= 1 ? rate : throw Error(node, $"'rate' must be from 0 to 1 (0 % to 100 %), got '{text}'");
        }
    }
}
