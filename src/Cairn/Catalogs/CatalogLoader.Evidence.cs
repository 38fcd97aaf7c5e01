using System.Collections.Frozen;
using Cairn.Mastery;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>
/// The <c>mastery.evidence</c> and <c>mastery.concepts</c> keys (docs/catalogs-and-progress.md#mastery-evidence): which
/// points and event patterns are evidence of which standards, and what a concept tag stands for. Checked like the rest.
/// </summary>
internal static partial class CatalogLoader
{
    private static readonly string[] EvidenceKeys = ["point", "event", "standards", "correct"];

    private sealed partial class Reader
    {
        private MasteryEvidenceRules MasteryEvidenceSection(YamlNode masteryNode, IReadOnlyList<PointDefinition> points)
        {
            if (masteryNode is not YamlMappingNode mastery)
            {
                return MasteryEvidenceRules.None;
            }
            var rules = new List<EvidenceRule>();
            if (Get(mastery, "evidence") is { } evidenceNode)
            {
                var index = 0;
                foreach (var item in Try(() => Sequence(evidenceNode, "'mastery.evidence'")) ?? [])
                {
                    var what = $"item {++index} of 'mastery.evidence'";
                    Try(() =>
                    {
                        if (EvidenceItem(item, what, points) is { } rule)
                        {
                            rules.Add(rule);
                        }
                    });
                }
            }
            var concepts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (Get(mastery, "concepts") is { } conceptsNode && Try(() => Mapping(conceptsNode, "'mastery.concepts'")) is { } conceptMap)
            {
                foreach (var (tagNode, standardsNode) in conceptMap.Children)
                {
                    Try(() =>
                    {
                        var tag = Scalar(tagNode);
                        if (StandardId(tag) is null)
                        {
                            throw Error(tagNode, $"concept tag '{tag}' of 'mastery.concepts' must be 1–{MasteryEvidence.MaxStandardLength} characters without surrounding spaces");
                        }
                        concepts[tag] = Standards(standardsNode, $"the standards of concept '{tag}' in 'mastery.concepts'");
                    });
                }
            }
            return rules.Count == 0 && concepts.Count == 0 ? MasteryEvidenceRules.None : new MasteryEvidenceRules(rules, concepts.ToFrozenDictionary(StringComparer.Ordinal));
        }

        private EvidenceRule? EvidenceItem(YamlNode node, string what, IReadOnlyList<PointDefinition> points)
        {
            var map = Mapping(node, what);
            CheckKeys(map, EvidenceKeys, what);
            var pointNode = Get(map, "point");
            var eventNode = Get(map, "event");
            if ((pointNode is null) == (eventNode is null))
            {
                throw Error(map, $"{what} needs exactly one of 'point' (a progress point id) or 'event' (an event pattern)");
            }
            var standardsNode = Get(map, "standards") ?? throw Error(map, $"{what} is missing 'standards' (the standard ids it is evidence of)");
            var standards = Standards(standardsNode, $"'standards' of {what}");
            bool? correct = null;
            if (Get(map, "correct") is { } correctNode)
            {
                if (pointNode is not null)
                {
                    throw Error(correctNode, $"{what}: a point's colour says whether it is correct (green) or not (yellow); 'correct' is for an 'event'");
                }
                correct = correctNode is YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } flag
                    ? flag.Value == "true"
                    : throw Error(correctNode, $"'correct' of {what} must be true or false (leave it out to judge by the event's 'passed', else its score)");
            }
            if (pointNode is not null)
            {
                var id = Scalar(pointNode);
                if (points.All(p => p.Id != id))
                {
                    throw Error(pointNode, $"{what} names point '{id}', which 'points' does not define");
                }
                return new EvidenceRule(id, null, standards, null);
            }
            return new EvidenceRule(null, Pattern(eventNode!, $"'event' of {what}"), standards, correct);
        }

        private IReadOnlyList<string> Standards(YamlNode node, string what)
        {
            var ids = new List<string>();
            foreach (var item in Sequence(node, what))
            {
                var id = item is YamlScalarNode { Value: { } text } ? StandardId(text) : null;
                if (id is null)
                {
                    throw Error(item, $"{what}: a standard id must be 1–{MasteryEvidence.MaxStandardLength} characters without surrounding spaces");
                }
                if (!ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
            if (ids.Count is 0 or > Ingest.LmsDialect.MaxStandards)
            {
                throw Error(node, $"{what} must list 1 to {Ingest.LmsDialect.MaxStandards} standard ids");
            }
            return ids;
        }

        private static string? StandardId(string text) =>
            text.Length is > 0 and <= MasteryEvidence.MaxStandardLength && text.Trim() == text ? text : null;
    }
}
