using System.Text.Json.Serialization;
using Cairn.Mastery;

namespace Cairn.Rollups;

/// <summary>How many students (or student × standard pairs) are at each mastery level.</summary>
internal sealed record LevelCounts(int NotStarted, int Attempted, int Familiar, int Proficient, int Mastered)
{
    public static readonly LevelCounts Empty = new(0, 0, 0, 0, 0);

    [JsonIgnore]
    public int Total => NotStarted + Attempted + Familiar + Proficient + Mastered;

    public LevelCounts Add(string level) => level switch
    {
        MasteryLevels.Attempted => this with { Attempted = Attempted + 1 },
        MasteryLevels.FamiliarLevel => this with { Familiar = Familiar + 1 },
        MasteryLevels.ProficientLevel => this with { Proficient = Proficient + 1 },
        MasteryLevels.MasteredLevel => this with { Mastered = Mastered + 1 },
        _ => this with { NotStarted = NotStarted + 1 },
    };
}
