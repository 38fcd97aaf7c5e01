namespace Cairn.Demo;

/// <summary>
/// A simulated class of an LMS (<c>cairn simulate --lms</c>): students with a hidden skill per standard, and the term's
/// assignments (each on one standard, in turn). What a student answers follows a knowledge-tracing story: a student
/// starts knowing a standard with a chance of half their skill squared, learns it at each graded assignment with a
/// chance that grows with the square of it (3 % to 43 %), and answers right mostly when they know it (92 %, else 15–35 %). A few students (one in eight) drift: from mid-term they miss
/// most submissions, forget, and their scores fall. The same seed gives the same class and the same answers.
/// </summary>
internal sealed class LmsClass
{
    public LmsClass(int students, int standards, int assignments, int seed)
    {
        var random = new Random(seed);
        _standards = [.. Enumerable.Range(1, standards).Select(i => $"MATH.5.{i}")];
        Assignments = assignments;
        var people = SimStudent.Class(students, seed, 0, "-lms");
        var list = new List<LmsStudent>(students);
        foreach (var person in people)
        {
            var ability = random.NextDouble();
            var skills = _standards.Select(_ => Math.Clamp(ability + (random.NextDouble() - 0.5) * 0.3, 0, 1)).ToList();
            list.Add(new LmsStudent(person.PlayerId, person.DisplayName, ability, skills, Drifts: false));
        }
        // One student in eight drifts (at least one in a class of four or more); never the strongest, so the demo keeps a star.
        var drifting = students >= 4 ? Math.Max(1, students / 8) : 0;
        foreach (var i in Enumerable.Range(0, students).OrderBy(i => list[i].Ability).Take(students - 1).OrderBy(_ => random.Next()).Take(drifting).ToList())
        {
            list[i] = list[i] with { Drifts = true };
        }
        Students = list;
        _random = new Random(random.Next());
        _known = [.. list.Select(s => s.Skills.Select(k => _random.NextDouble() < k * k * 0.5).ToArray())];
    }

    private readonly string[] _standards;
    private readonly Random _random;
    private readonly bool[][] _known;

    public IReadOnlyList<string> Standards => _standards;

    public IReadOnlyList<LmsStudent> Students { get; }

    public int Assignments { get; }

    /// <summary>The standard assignment <paramref name="k"/> (0-based) assesses: each in turn.</summary>
    public string StandardOf(int k) => _standards[k % _standards.Length];

    /// <summary>Whether a drifting student is drifting at assignment <paramref name="k"/>: from the middle of the term.</summary>
    public bool Drifting(LmsStudent student, int k) => student.Drifts && k >= Assignments / 2;

    /// <summary>
    /// What student <paramref name="s"/> does with assignment <paramref name="k"/>: null when they submit nothing, else
    /// the score (0–100). Call once per (assignment, student), in order: the hidden state moves on.
    /// </summary>
    public double? Work(int s, int k)
    {
        var student = Students[s];
        var drifting = Drifting(student, k);
        if (drifting && _random.NextDouble() < 0.7)
        {
            return null;
        }
        var j = k % _standards.Length;
        var skill = student.Skills[j];
        var known = _known[s][j];
        var correct = _random.NextDouble() < (known ? 0.92 : 0.15 + 0.2 * skill);
        var score = (correct ? 72 + _random.NextDouble() * 28 : 20 + _random.NextDouble() * 45) - (drifting ? 8 * (k - Assignments / 2 + 1) : 0);
        // Practice teaches (more to the skilled); drifting students forget instead.
        _known[s][j] = drifting ? known && _random.NextDouble() > 0.5 : known || _random.NextDouble() < 0.03 + 0.4 * skill * skill;
        return Math.Round(Math.Clamp(score, 0, 100));
    }
}
