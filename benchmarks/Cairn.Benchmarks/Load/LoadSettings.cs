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
                 --postgres CS     run against PostgreSQL instead: HTTP ingest into a fresh database vs binary COPY into
                                   another (the benchmark databases are created on that server and dropped), e.g. "Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres"
                 --markdown FILE   also write the result as a markdown snippet (default: BenchmarkDotNet.Artifacts/results/load.md)
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- micro [BenchmarkDotNet args]
                 (TriggerMatchBenchmarks: trigger lookup per event, 10 vs 1,000 points; EventPipelineBenchmarks: the ingest pipeline)
        """;

    public int Events { get; init; } = 200_000;

    public int Clients { get; init; } = 8;

    public int Batch { get; init; } = 500;

    public int Warmup { get; init; } = 20_000;

    public int Players { get; init; } = 2_000;

    public string Synchronous { get; init; } = "FULL";

    public string MarkdownPath { get; init; } = "BenchmarkDotNet.Artifacts/results/load.md";

    /// <summary>A PostgreSQL connection string (its database is used only to create and drop the two benchmark databases); null for SQLite.</summary>
    public string? Postgres { get; init; }

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
            Postgres = parsed.Option("postgres"),
        };
        settings = settings with { MarkdownPath = parsed.Option("markdown") ?? (settings.Postgres is null ? settings.MarkdownPath : "BenchmarkDotNet.Artifacts/results/load-postgres.md") };
        parsed.RejectUnknown();
        if (settings.Synchronous is not ("FULL" or "NORMAL"))
        {
            throw new UsageException("--synchronous must be FULL or NORMAL");
        }
        return settings;
    }
}
