using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Cairn.Catalogs;

namespace Cairn.Mastery;

/// <summary>
/// A catalog's mastery evidence, compiled at load: which progress points and event patterns are evidence of which
/// standards (<c>mastery.evidence</c>), and which standards a game's <c>concept_tags</c> stand for (<c>mastery.concepts</c>;
/// a tag not listed is a standard id itself). Looked up in memory at ingest (<see cref="Collect"/>) and per standard in
/// a recompute (<see cref="For"/>).
/// </summary>
internal sealed class MasteryEvidenceRules
{
    public static readonly MasteryEvidenceRules None = new([], FrozenDictionary<string, IReadOnlyList<string>>.Empty);

    private readonly FrozenDictionary<string, EvidenceRule[]> _byEventType;
    private readonly FrozenDictionary<string, EvidenceRule[]> _byPoint;
    private readonly FrozenDictionary<string, EvidenceRule[]> _byStandard;
    private readonly FrozenDictionary<string, string[]> _conceptsOf;

    public MasteryEvidenceRules(IReadOnlyList<EvidenceRule> rules, IReadOnlyDictionary<string, IReadOnlyList<string>> concepts)
    {
        Rules = rules;
        Concepts = concepts;
        _byEventType = rules.Where(r => r.Event is not null).GroupBy(r => r.Event!.EventType, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _byPoint = rules.Where(r => r.Point is not null).GroupBy(r => r.Point!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _byStandard = rules.SelectMany(r => r.Standards.Select(s => (Standard: s, Rule: r))).GroupBy(x => x.Standard, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.Rule).Distinct().ToArray(), StringComparer.Ordinal);
        _conceptsOf = concepts.SelectMany(c => c.Value.Select(s => (Standard: s, Tag: c.Key))).GroupBy(x => x.Standard, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.Tag).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<EvidenceRule> Rules { get; }

    /// <summary>Concept tag → the standards it stands for.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Concepts { get; }

    public bool IsEmpty => Rules.Count == 0 && Concepts.Count == 0;

    /// <summary>Every standard whose evidence the section changes: named by a rule or a concept, and the mapped tags themselves.</summary>
    public IEnumerable<string> Standards =>
        _byStandard.Keys.Concat(_conceptsOf.Keys).Concat(Concepts.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>The rules that are evidence of a standard.</summary>
    public IReadOnlyList<EvidenceRule> For(string standardId) => _byStandard.TryGetValue(standardId, out var rules) ? rules : [];

    /// <summary>The standards a concept tag stands for (itself when the catalog does not map it).</summary>
    public IReadOnlyList<string> StandardsOfConcept(string tag) => Concepts.TryGetValue(tag, out var standards) ? standards : [tag];

    /// <summary>What the section says about one standard (empty: nothing), for its parameter version.</summary>
    public string Describe(string standardId)
    {
        var parts = For(standardId).Select(r => r.Describe()).ToList();
        if (_conceptsOf.TryGetValue(standardId, out var tags))
        {
            parts.Add("concepts=" + string.Join(",", tags));
        }
        if (Concepts.ContainsKey(standardId))
        {
            parts.Add("mapped-away");
        }
        return string.Join(";", parts);
    }

    /// <summary>The standards an incoming event is evidence of by the rules (in memory: the event and its catalog match).</summary>
    public void Collect(string eventType, JsonObject? data, TriggerMatch? match, ICollection<string> keys)
    {
        if (_byEventType.TryGetValue(eventType, out var rules))
        {
            foreach (var rule in rules)
            {
                if (Matches(rule.Event!, data))
                {
                    Add(rule, keys);
                }
            }
        }
        if (match is not null && _byPoint.Count > 0)
        {
            foreach (var point in match.Points)
            {
                foreach (var rule in _byPoint.GetValueOrDefault(point) ?? [])
                {
                    Add(rule, keys);
                }
            }
        }
    }

    private static void Add(EvidenceRule rule, ICollection<string> keys)
    {
        foreach (var standard in rule.Standards)
        {
            if (!keys.Contains(standard))
            {
                keys.Add(standard);
            }
        }
    }

    private static bool Matches(EventPattern pattern, JsonObject? data)
    {
        foreach (var (field, values) in pattern.Data)
        {
            if (data is null || MatchValue.Of(data[field]) is not { } canonical || !values.Contains(canonical))
            {
                return false;
            }
        }
        return true;
    }
}
