using System.Globalization;
using Cairn.Cli;

namespace Cairn.Benchmarks.Progress;

/// <summary>Knobs of the <c>matrix</c> benchmark.</summary>
internal sealed record MatrixSettings
{
    public const string Usage = """
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- matrix [options]
                 --players P         members of the group (default 40)
                 --points N          points of the generated catalog (default 60)
                 --others O          players of the same org outside the group, with rows filled as well (default 200)
                 --fill F            share of cells completed before measuring (default 0.5)
                 --iterations I      timed reads of each kind, after --warmup more (default 2000, 200)
                 --clients C         live-stream clients for the delivery phase (default 200)
                 --stream-events E   completing events sent while C clients listen (default 150; 1 client hears 50 first)
                 --stream-rate R     completing events per second during the stream phases (default 10)
                 --markdown FILE     the result table (default BenchmarkDotNet.Artifacts/results/matrix.md)
        """;

    public int Players { get; init; } = 40;

    public int Points { get; init; } = 60;

    public int Others { get; init; } = 200;

    public double Fill { get; init; } = 0.5;

    public int Iterations { get; init; } = 2_000;

    public int Warmup { get; init; } = 200;

    public int Clients { get; init; } = 200;

    public int StreamEvents { get; init; } = 150;

    public int StreamRate { get; init; } = 10;

    public string MarkdownPath { get; init; } = "BenchmarkDotNet.Artifacts/results/matrix.md";

    public static MatrixSettings Parse(IEnumerable<string> args)
    {
        var parsed = Args.Parse(args);
        var fill = parsed.Option("fill") ?? "0.5";
        var settings = new MatrixSettings
        {
            Players = parsed.IntOption("players", 40, 1, Groups.GroupsApi.MaxMembers),
            Points = parsed.IntOption("points", 60, 1, 5_000),
            Others = parsed.IntOption("others", 200, 0, 1_000_000),
            Fill = double.TryParse(fill, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is >= 0 and < 1
                ? f : throw new UsageException("--fill must be a fraction in [0, 1)"),
            Iterations = parsed.IntOption("iterations", 2_000, 1, 1_000_000),
            Warmup = parsed.IntOption("warmup", 200, 0, 1_000_000),
            Clients = parsed.IntOption("clients", 200, 1, 5_000),
            StreamEvents = parsed.IntOption("stream-events", 150, 1, 1_000_000),
            StreamRate = parsed.IntOption("stream-rate", 10, 1, 10_000),
            MarkdownPath = parsed.Option("markdown") ?? "BenchmarkDotNet.Artifacts/results/matrix.md",
        };
        parsed.RejectUnknown();
        if ((settings.StreamEvents + 50) > settings.Players * settings.Points * (1 - settings.Fill))
        {
            throw new UsageException("--stream-events + 50 must fit in the cells left white by --fill");
        }
        return settings;
    }
}
