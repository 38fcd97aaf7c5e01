using Cairn.Cli;

namespace Cairn.Benchmarks.Load;

/// <summary>What one run of the load benchmark does; the defaults finish in well under a minute on 2 cores.</summary>
internal sealed record LoadSettings
{
    public const string Usage = """
        usage: dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- load [options]
                 --events N        events measured (default 200000)
                 --clients C       concurrent HTTP workers (default 8)
                 --batch B         events per request and per raw-insert transaction (default 500)
                 --warmup W        events sent (to another org) before measuring (default 20000)
                 --players P       size of the player pool (default 2000)
                 --synchronous S   SQLite synchronous pragma for both sides: FULL (default) or NORMAL
                 --markdown FILE   also write the result as a markdown snippet (default: BenchmarkDotNet.Artifacts/results/load.md)
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- micro [BenchmarkDotNet args]
        """;

    public int Events { get; init; } = 200_000;

    public int Clients { get; init; } = 8;

    public int Batch { get; init; } = 500;

    public int Warmup { get; init; } = 20_000;

    public int Players { get; init; } = 2_000;

    public string Synchronous { get; init; } = "FULL";

    public string MarkdownPath { get; init; } = "BenchmarkDotNet.Artifacts/results/load.md";

    public static LoadSettings Parse(IEnumerable<string> args)
    {
        var parsed = Args.Parse(args);
        var settings = new LoadSettings
        {
            Events = parsed.IntOption("events", 200_000, 1_000, 50_000_000),
            Clients = parsed.IntOption("clients", 8, 1, 256),
            Batch = parsed.IntOption("batch", 500, 1, 5_000),
            Warmup = parsed.IntOption("warmup", 20_000, 0, 10_000_000),
            Players = parsed.IntOption("players", 2_000, 1, 10_000_000),
            Synchronous = (parsed.Option("synchronous") ?? "FULL").ToUpperInvariant(),
            MarkdownPath = parsed.Option("markdown") ?? "BenchmarkDotNet.Artifacts/results/load.md",
        };
        parsed.RejectUnknown();
        if (settings.Synchronous is not ("FULL" or "NORMAL"))
        {
            throw new UsageException("--synchronous must be FULL or NORMAL");
        }
        return settings;
    }
}
