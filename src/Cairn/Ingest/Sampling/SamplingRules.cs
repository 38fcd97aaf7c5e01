namespace Cairn.Ingest.Sampling;

/// <summary>
/// A game's <c>sampling:</c> section: its own rules, then (with <c>preset: seeds</c>) the defaults of seeds 001 and 003;
/// the first rule that matches an event type gives its rate, and an event type no rule matches is never sampled.
/// </summary>
internal sealed class SamplingRules(IReadOnlyList<SamplingRule> rules, string? preset)
{
    public static readonly SamplingRules None = new([], null);

    /// <summary>The rules in the order they are tried (the preset's after the game's own).</summary>
    public IReadOnlyList<SamplingRule> Rules { get; } = preset is null ? rules : [.. rules, .. SamplingPreset.Seeds];

    public string? Preset { get; } = preset;

    /// <summary>The rate of an event type, and the rule that gave it (null: not sampled).</summary>
    public (double Rate, SamplingRule? Rule) RateOf(string eventType)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(eventType))
            {
                return (rule.Rate, rule);
            }
        }
        return (1, null);
    }
}
