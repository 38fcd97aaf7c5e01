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

    public BktParameters ParametersFor(string standardId) =>
        Standards.TryGetValue(standardId, out var s) && s.Parameters is { } p ? p : Parameters;

    public double ThresholdFor(string standardId) =>
        Standards.TryGetValue(standardId, out var s) && s.Threshold is { } t ? t : Threshold;

    /// <summary>The standard's name in the catalog, or null.</summary>
    public string? NameOf(string standardId) => Standards.TryGetValue(standardId, out var s) ? s.Name : null;
}
