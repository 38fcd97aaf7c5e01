using Cairn.Cli;

namespace Cairn.Benchmarks.PlayerState;

/// <summary>Knobs of the <c>state</c> benchmark.</summary>
internal sealed record StateReadSettings
{
    public const string Usage = """
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- state [options]
                 --players P       players (default 10000), each with --events events before the reads
                 --events E        events per player loaded first (default 100)
                 --rate R          ingest while reading, events per second (default 1000)
                 --seconds S       measured reads per configuration (default 15)
                 --readers N       concurrent readers (default 4)
                 --postgres CS     also on PostgreSQL (a database is created through CS and dropped)
                 --markdown FILE   the result table (default BenchmarkDotNet.Artifacts/results/state.md)
        """;

    public int Players { get; init; } = 10_000;

    public int Events { get; init; } = 100;

    public int Rate { get; init; } = 1_000;

    public int Seconds { get; init; } = 15;

    public int Readers { get; init; } = 4;

    public string? Postgres { get; init; }

    public string MarkdownPath { get; init; } = "BenchmarkDotNet.Artifacts/results/state.md";

    public static StateReadSettings Parse(IEnumerable<string> args)
    {
        var parsed = Args.Parse(args);
        var settings = new StateReadSettings
        {
            Players = parsed.IntOption("players", 10_000, 1, 1_000_000),
            Events = parsed.IntOption("events", 100, 1, 10_000),
            Rate = parsed.IntOption("rate", 1_000, 0, 100_000),
            Seconds = parsed.IntOption("seconds", 15, 1, 3_600),
            Readers = parsed.IntOption("readers", 4, 1, 256),
            Postgres = parsed.Option("postgres"),
            MarkdownPath = parsed.Option("markdown") ?? "BenchmarkDotNet.Artifacts/results/state.md",
        };
        parsed.RejectUnknown();
        return settings;
    }
}
