using System.Collections.Frozen;

namespace Cairn.Mastery;

/// <summary>
/// A game's mastery defaults (the catalog's optional <c>mastery:</c> section): BKT parameters, the score at or above which
/// a graded answer counts as correct, the level boundaries, and per-standard overrides of the first two.
/// </summary>
internal sealed class MasterySettings(
    BktParameters parameters, double threshold, MasteryLevels levels, IReadOnlyDictionary<string, StandardSettings> standards)
{
    /// <summary>A score (as a fraction of the maximum) counts as correct at or above this: 70 % by default.</summary>
    public const double DefaultThreshold = 0.7;

    public static readonly MasterySettings Default = new(BktParameters.Default, DefaultThreshold, MasteryLevels.Default, FrozenDictionary<string, StandardSettings>.Empty);

    public BktParameters Parameters { get; } = parameters;

    public double Threshold { get; } = threshold;

    public MasteryLevels Levels { get; } = levels;

    public IReadOnlyDictionary<string, StandardSettings> Standards { get; } = standards;

    /// <summary>Whether the catalog gave anything (else the built-in defaults apply).</summary>
    public bool FromCatalog { get; init; }

    /// <summary>The section's <c>evidence</c> and <c>concepts</c>: which points, event patterns and concept tags are evidence of which standards.</summary>
    public MasteryEvidenceRules Evidence { get; init; } = MasteryEvidenceRules.None;

    /// <summary>Every standard with a parameter version of its own: its own settings, or evidence rules that name it.</summary>
    public IEnumerable<string> StandardsWithOwnVersion => Standards.Keys.Concat(Evidence.Standards).Distinct(StringComparer.Ordinal);

    public MasterySettings WithEvidence(MasteryEvidenceRules evidence) =>
        evidence == Evidence ? this : new(Parameters, Threshold, Levels, Standards) { FromCatalog = FromCatalog, Evidence = evidence };

    public BktParameters ParametersFor(string standardId) =>
        Standards.TryGetValue(standardId, out var s) && s.Parameters is { } p ? p : Parameters;

    public double ThresholdFor(string standardId) =>
        Standards.TryGetValue(standardId, out var s) && s.Threshold is { } t ? t : Threshold;

    /// <summary>The standard's name in the catalog, or null.</summary>
    public string? NameOf(string standardId) => Standards.TryGetValue(standardId, out var s) ? s.Name : null;
}
