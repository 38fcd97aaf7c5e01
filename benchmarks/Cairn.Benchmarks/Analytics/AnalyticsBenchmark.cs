using System.Diagnostics;
using System.Globalization;
using Cairn.Catalogs;
using Cairn.Cohorts;
using Cairn.Funnels;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;

namespace Cairn.Benchmarks.Analytics;

/// <summary>
/// A 5-step funnel and a 30-day daily retention read over N events of P players (default 1,000,000 of 5,000), on SQLite and,
/// with --postgres CONN, on PostgreSQL: p50/p95 of each read, side by side. Not yet run (see docs/benchmarks.md).
/// </summary>
internal static class AnalyticsBenchmark
{
    public const string Usage = """
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- analytics [--events N] [--players P] [--iterations I] [--postgres CONN]
        """;

    public static async Task RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        var parsed = Cairn.Cli.Args.Parse(args);
        var events = parsed.IntOption("events", 1_000_000, 1_000, 100_000_000);
        var players = parsed.IntOption("players", 5_000, 1, 10_000_000);
        var iterations = parsed.IntOption("iterations", 20, 1, 10_000);
        var postgres = parsed.Option("postgres");
        parsed.RejectUnknown();
        var directory = Directory.CreateTempSubdirectory("cairn-analytics-").FullName;
        var stores = new List<(string Name, StorageOptions Options)> { ("SQLite", new StorageOptions { DataDirectory = directory }) };
        if (postgres is not null)
        {
            stores.Add(("PostgreSQL", new StorageOptions { DataDirectory = directory, Store = postgres }));
        }
        output.WriteLine("| Store | Read | p50 ms | p95 ms |");
        output.WriteLine("|---|---|---:|---:|");
        foreach (var (name, options) in stores)
        {
            await using var store = Cairn.Hosting.CairnConfiguration.CreateStore(options);
            await store.Schema.MigrateAsync(CancellationToken.None);
            var end = DateTimeOffset.UtcNow;
            var start = end.AddDays(-30);
            await SeedAsync(store, events, players, start, end);
            var steps = Enumerable.Range(0, 5).Select(l => new EventPattern("LevelDone", [("level", [MatchValue.Number(l)])])).ToList();
            var funnel = new FunnelDefinition(steps, 7 * 86400, FunnelOrder.Ordered, [], null);
            IFunnelStore funnels = store.Database is SqliteDatabase s ? new SqliteFunnelStore(s) : new PostgresFunnelStore((PostgresDatabase)store.Database);
            IRetentionStore retention = store.Database is SqliteDatabase s2 ? new SqliteRetentionStore(s2) : new PostgresRetentionStore((PostgresDatabase)store.Database);
            await TimeAsync(output, name, "5-step funnel", iterations, async () =>
                FunnelEngine.Compute(funnel, await funnels.ReadAsync(new FunnelRead("org-bench", "bench", start, end, funnel.EventTypes, null, null), CancellationToken.None)));
            await TimeAsync(output, name, "30-day retention", iterations, async () =>
                RetentionTable.Compute(await retention.GetActiveDaysAsync("org-bench", "bench", end, null, CancellationToken.None), RetentionInterval.Day, start, end));
        }
    }

    private static async Task SeedAsync(Stores store, int events, int players, DateTimeOffset start, DateTimeOffset end)
    {
        var random = new Random(15);
        var span = (end - start).Ticks;
        const int batch = 5_000;
        for (var written = 0; written < events; written += batch)
        {
            var records = new List<EventRecord>(batch);
            for (var i = written; i < Math.Min(events, written + batch); i++)
            {
                var player = "pk-" + (i % players).ToString(CultureInfo.InvariantCulture);
                var level = random.Next(0, 8);
                records.Add(new EventRecord("org-bench", "bench", "bench", "e" + i.ToString(CultureInfo.InvariantCulture), level < 6 ? "LevelDone" : "Noise",
                    start.AddTicks((long)(random.NextDouble() * span)), player, null, null, $$"""{"level":{{level}}}""", null, null, null, "standard", null));
            }
            await store.Events.WriteAsync([new WriteBatch(records, [], [])], CancellationToken.None);
        }
    }

    private static async Task TimeAsync(TextWriter output, string store, string read, int iterations, Func<Task<object>> run)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {store} | {read} | {times[(int)Math.Ceiling(0.5 * times.Count) - 1]:0.0} | {times[(int)Math.Ceiling(0.95 * times.Count) - 1]:0.0} |"));
    }
}
