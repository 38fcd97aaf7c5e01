using Cairn.Cli;

namespace Cairn.Benchmarks.Overload;

/// <summary>What one run of the overload benchmark does; the defaults are the load of the review, kept modest for 2 shared cores.</summary>
internal sealed record OverloadSettings
{
    public const string Usage = """
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- overload [options]
                 --clients C       concurrent connections, each posting batch after batch (default 128)
                 --batch B         events per request (default 5000)
                 --seconds S       how long each run sends (default 30)
                 --runs R          runs, each against a fresh server process; the table gives each and the medians (default 3)
                 --set KEY=VALUE   server setting for every run, e.g. --set Ingest:MaxBytesInFlight=1000000000000 (several: comma-separated)
                 --markdown FILE   also write the result as a markdown snippet (default: BenchmarkDotNet.Artifacts/results/overload.md)
        """;

    public int Clients { get; init; } = 128;

    public int Batch { get; init; } = 5_000;

    public int Seconds { get; init; } = 30;

    public int Runs { get; init; } = 3;

    /// <summary>Server settings (section:key = value) given to every run, as CAIRN_Section__Key variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public string MarkdownPath { get; init; } = "BenchmarkDotNet.Artifacts/results/overload.md";

    public static OverloadSettings Parse(IEnumerable<string> args)
    {
        var parsed = Args.Parse(args);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (parsed.Option("set") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--set takes KEY=VALUE pairs separated by commas, not '{pair}'");
            }
            settings[pair[..equals]] = pair[(equals + 1)..];
        }
        var result = new OverloadSettings
        {
            Clients = parsed.IntOption("clients", 128, 1, 1_024),
            Batch = parsed.IntOption("batch", 5_000, 1, 5_000),
            Seconds = parsed.IntOption("seconds", 30, 1, 600),
            Runs = parsed.IntOption("runs", 3, 1, 9),
            Settings = settings,
            MarkdownPath = parsed.Option("markdown") ?? "BenchmarkDotNet.Artifacts/results/overload.md",
        };
        parsed.RejectUnknown();
        return result;
    }
}
