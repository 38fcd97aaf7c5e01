namespace Cairn.Mastery;

/// <summary>
/// The level boundaries on pMastery: below <paramref name="Familiar"/> a standard with observations is "attempted";
/// then familiar, proficient, and mastered at <paramref name="Mastered"/> (0.95 by default). No observation: "not started".
/// </summary>
internal sealed record MasteryLevels(double Familiar, double Proficient, double Mastered)
{
    public const string NotStarted = "not started";
    public const string Attempted = "attempted";
    public const string FamiliarLevel = "familiar";
    public const string ProficientLevel = "proficient";
    public const string MasteredLevel = "mastered";

    public static readonly MasteryLevels Default = new(Familiar: 0.5, Proficient: 0.8, Mastered: 0.95);

    public string LevelOf(double pMastery, int observations) =>
        observations == 0 ? NotStarted
        : pMastery >= Mastered ? MasteredLevel
        : pMastery >= Proficient ? ProficientLevel
        : pMastery >= Familiar ? FamiliarLevel
        : Attempted;

    public string? Problem() =>
        !(Familiar > 0 && Familiar < Proficient && Proficient < Mastered && Mastered <= 1)
            ? "level boundaries must satisfy 0 < familiar < proficient < mastered ≤ 1"
            : null;
}
