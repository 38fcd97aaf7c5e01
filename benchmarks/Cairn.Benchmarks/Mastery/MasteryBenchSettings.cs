using Cairn.Cli;

namespace Cairn.Benchmarks.Mastery;

/// <summary>Knobs of the <c>mastery</c> benchmark.</summary>
internal sealed record MasteryBenchSettings
{
    public const string Usage = """
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- mastery [options]
                 --students S        members of the class (default 40)
                 --standards N       standards each student is graded on (default 30)
                 --rounds R          graded submissions per (class student, standard) (default 3)
                 --others O          students of the same org outside the class, one grade per standard each (default 200)
                 --iterations I      timed reads of each kind, after --warmup more (default 1000, 100; the class read I / 5)
                 --markdown FILE     the result table (default BenchmarkDotNet.Artifacts/results/mastery.md)
        """;

    public int Students { get; init; } = 40;

    public int Standards { get; init; } = 30;

    public int Rounds { get; init; } = 3;

    public int Others { get; init; } = 200;

    public int Iterations { get; init; } = 1_000;

    public int Warmup { get; init; } = 100;

    public string MarkdownPath { get; init; } = "BenchmarkDotNet.Artifacts/results/mastery.md";

    public static MasteryBenchSettings Parse(IEnumerable<string> args)
    {
        var parsed = Args.Parse(args);
        var settings = new MasteryBenchSettings
        {
            Students = parsed.IntOption("students", 40, 1, 5_000),
            Standards = parsed.IntOption("standards", 30, 1, 1_000),
            Rounds = parsed.IntOption("rounds", 3, 1, 100),
            Others = parsed.IntOption("others", 200, 0, 100_000),
            Iterations = parsed.IntOption("iterations", 1_000, 5, 1_000_000),
            Warmup = parsed.IntOption("warmup", 100, 0, 1_000_000),
            MarkdownPath = parsed.Option("markdown") ?? "BenchmarkDotNet.Artifacts/results/mastery.md",
        };
        parsed.RejectUnknown();
        return settings;
    }
}
