namespace Cairn.Demo;

/// <summary>A simulated student: who they are and how they play.</summary>
/// <param name="Pace">Multiplies the time a point takes (0.5 = fast, 2 = slow).</param>
/// <param name="HelpChance">Chance, per counted step, of asking for help or failing an attempt.</param>
/// <param name="StuckAt">Index of the point where this student gets stuck for a long while, or -1.</param>
internal sealed record SimStudent(string PlayerId, string DisplayName, double Pace, double HelpChance, int StuckAt)
{
    private static readonly string[] First =
    [
        "Ada", "Ben", "Chloé", "Dev", "Elif", "Finn", "Grace", "Hiro", "Ines", "Jamal", "Kira", "Liam", "Maya", "Noah",
        "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tess", "Umar", "Vera", "Wen", "Xavi", "Yara", "Zoe", "Arlo", "Bea",
    ];

    private static readonly string[] Last =
    [
        "Adams", "Bauer", "Costa", "Diallo", "Evans", "Fischer", "García", "Huang", "Ivanova", "Jensen", "Kowalski", "Lopez",
        "Mensah", "Novak", "Okafor", "Patel", "Quispe", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Wright", "Yilmaz",
    ];

    /// <summary>A class of plausible students; the same seed (and tag) gives the same class.</summary>
    /// <param name="tag">Part of every player id, so that classes with different tags never share a student.</param>
    public static IReadOnlyList<SimStudent> Class(int count, int seed, int points, string tag = "")
    {
        var random = new Random(seed);
        var students = new List<SimStudent>(count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; students.Count < count; i++)
        {
            var first = First[random.Next(First.Length)];
            var last = Last[random.Next(Last.Length)];
            var name = $"{first} {last}";
            if (!used.Add(name))
            {
                name = $"{first} {last} {i}";
                used.Add(name);
            }
            var id = $"{first}.{last}.{i}{tag}@demo-school.example".ToLowerInvariant();
            var kind = random.NextDouble();
            var pace = kind < 0.2 ? 0.5 + random.NextDouble() * 0.3 : kind < 0.8 ? 0.8 + random.NextDouble() * 0.6 : 1.4 + random.NextDouble() * 0.8;
            var stuckAt = random.NextDouble() < 0.15 && points > 1 ? random.Next(1, points) : -1;
            students.Add(new SimStudent(id, name, pace, 0.1 + random.NextDouble() * 0.4, stuckAt));
        }
        return students;
    }
}
