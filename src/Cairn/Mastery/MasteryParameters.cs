namespace Cairn.Mastery;

/// <summary>
/// The parameters one standard's row is computed with, and where they come from: <c>fit:N</c> (version N of
/// <c>cairn mastery fit</c>), <c>catalog:HASH</c> (the game catalog's <c>mastery:</c> section) or <c>default</c>.
/// </summary>
internal sealed record MasteryParameters(BktParameters Bkt, double Threshold, MasteryLevels Levels, string Version);
