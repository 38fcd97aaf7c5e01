using System.Globalization;
using Cairn.Cli;

namespace Cairn.Benchmarks.Progress;

/// <summary>Knobs of the <c>progress</c> benchmark.</summary>
internal sealed record ProgressSettings
{
    public const string Usage = """
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- progress [options]
                 --rate R          events per second, steady (default 1000)
                 --seconds S       how long the load runs (default 20)
                 --players P       players sending, all in one group (default 200)
                 --batch B         events per request; each request comes from one player (default 10)
                 --completing F    share of events that complete a point not yet completed (default 0.05)
                 --catalog FILE    the catalog to load (default catalogs/mhs.yaml of the repository)
                 --markdown FILE   the result table (default BenchmarkDotNet.Artifacts/results/progress.md)
        """;

    public int Rate { get; init; } = 1_000;

    public int Seconds { get; init; } = 20;

    public int Players { get; init; } = 200;

    public int Batch { get; init; } = 10;

    public double Completing { get; init; } = 0.05;

    public string Catalog { get; init; } = "";

    public string MarkdownPath { get; init; } = "BenchmarkDotNet.Artifacts/results/progress.md";

    public static ProgressSettings Parse(IEnumerable<string> args)
    {
        var parsed = Args.Parse(args);
        var completing = parsed.Option("completing") ?? "0.05";
        var settings = new ProgressSettings
        {
            Rate = parsed.IntOption("rate", 1_000, 1, 100_000),
            Seconds = parsed.IntOption("seconds", 20, 1, 3_600),
            Players = parsed.IntOption("players", 200, 1, GroupsLimit),
            Batch = parsed.IntOption("batch", 10, 1, 1_000),
            Completing = double.TryParse(completing, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c is > 0 and <= 1
                ? c : throw new UsageException("--completing must be a fraction in (0, 1]"),
            Catalog = parsed.Option("catalog") ?? RepositoryFile("catalogs/mhs.yaml"),
            MarkdownPath = parsed.Option("markdown") ?? "BenchmarkDotNet.Artifacts/results/progress.md",
        };
        parsed.RejectUnknown();
        return settings;
    }

    private const int GroupsLimit = Groups.GroupsApi.MaxMembers;

    /// <summary>A file of the repository, found from the working directory or the binary upwards.</summary>
    public static string RepositoryFile(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new UsageException($"cannot find {relative} above the working directory; pass it explicitly");
    }
}
