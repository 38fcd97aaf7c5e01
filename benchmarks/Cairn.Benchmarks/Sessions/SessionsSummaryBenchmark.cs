using System.Globalization;
using System.Text;
using Cairn.Benchmarks.Progress;
using Cairn.Catalogs;
using Cairn.Cli;
using Cairn.Hosting;
using Cairn.Jobs;
using Cairn.PlaySessions;
using Cairn.PlaySessions.Storage;
using Cairn.Projections;
using Cairn.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cairn.Benchmarks.Sessions;

/// <summary>
/// The sessions summary (<c>GET /v1/games/{game}/sessions/summary</c>'s query and figures) over P players × E events:
/// the events are written to the log with their sessions jobs, the jobs run (the projection cuts the sessions), then the
/// summary of the whole window is read N times on SQLite and, with --postgres, on PostgreSQL; p50/p95 side by side.
/// </summary>
internal static class SessionsSummaryBenchmark
{
    public const string Usage = """
        sessions [--players N (5000)] [--events N per player (200)] [--reads N (50)] [--postgres CS] [--markdown FILE]
            sessions summary over players × events on SQLite (and PostgreSQL: a database cairn_bench_sessions_<time> made through CS, dropped after)
        """;

    private const string Game = "bench";
    private const string Org = "org-bench";

    public static async Task RunAsync(IEnumerable<string> args, TextWriter console)
    {
        var options = Args.Parse(args);
        var players = options.IntOption("players", 5_000, 1, 1_000_000);
        var events = options.IntOption("events", 200, 1, 100_000);
        var reads = options.IntOption("reads", 50, 1, 10_000);
        var postgres = options.Option("postgres");
        var markdown = options.Option("markdown") ?? Path.Combine("BenchmarkDotNet.Artifacts", "results", "sessions.md");
        var loadBefore = Latencies.LoadAverage();
        var rows = new List<string> { await RunStoreAsync("SQLite", null, players, events, reads, console) };
        if (postgres is not null)
        {
            var name = "cairn_bench_sessions_" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            await ExecuteAsync(postgres, $"CREATE DATABASE {name};");
            try
            {
                rows.Add(await RunStoreAsync("PostgreSQL", new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString, players, events, reads, console));
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
            }
        }
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"sessions summary: {players:N0} players × {events} events ({(long)players * events:N0}), {reads} reads; load average before {loadBefore}, after {Latencies.LoadAverage()}")
            .AppendLine()
            .AppendLine("| store | sessions | load + jobs (s) | summary p50 (ms) | summary p95 (ms) | p95 ratio (store / SQLite) |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            text.AppendLine(row);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdown))!);
        await File.WriteAllTextAsync(markdown, text.ToString());
        await console.WriteLineAsync(text.ToString());
    }

    private static double? _sqliteP95;

    private static async Task<string> RunStoreAsync(string label, string? connectionString, int players, int events, int reads, TextWriter console)
    {
        var root = Directory.CreateTempSubdirectory("cairn-bench-sessions-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "catalogs"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "catalogs", "bench.yaml"), "game: bench\nsessions: {gapMinutes: 30, maxHours: 24}\n");
            var catalogs = new CatalogRegistry(Path.Combine(root.FullName, "catalogs"), NullLogger<CatalogRegistry>.Instance);
            catalogs.Reload();
            var storage = new StorageOptions { DataDirectory = Path.Combine(root.FullName, "data"), Synchronous = "NORMAL" };
            if (connectionString is not null)
            {
                storage.Store = connectionString;
            }
            await using var store = CairnConfiguration.CreateStore(storage);
            await store.Schema.MigrateAsync(CancellationToken.None);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await LoadAsync(store, players, events);
            var runner = new JobRunner(store.Jobs, ProjectionSet.From(Features.Projections, new ProjectionContext(store, catalogs, TimeProvider.System)),
                Options.Create(new JobOptions { BatchSize = 256 }), TimeProvider.System, NullLogger<JobRunner>.Instance);
            while (await runner.RunOnceAsync("bench", CancellationToken.None) > 0)
            {
            }
            var loadSeconds = Latencies.Ms(started, System.Diagnostics.Stopwatch.GetTimestamp()) / 1000;
            var sessions = store.Projection<IPlaySessionStore>(SessionsProjection.Name);
            var from = Start.AddDays(-1);
            var to = Start.AddDays(31);
            var times = new List<double>();
            var count = 0;
            for (var i = 0; i < reads + 5; i++)
            {
                var t = System.Diagnostics.Stopwatch.GetTimestamp();
                var summary = await SessionsApi.SummarizeAsync(sessions, Org, Game, from, to, null, CancellationToken.None);
                if (i >= 5)
                {
                    times.Add(Latencies.Ms(t, System.Diagnostics.Stopwatch.GetTimestamp()));
                }
                count = summary.Count;
            }
            var latencies = new Latencies(times);
            _sqliteP95 ??= latencies.P(0.95);
            await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{label}: {count:N0} sessions, loaded in {loadSeconds:F0} s, p50 {latencies.P(0.5):F1} ms, p95 {latencies.P(0.95):F1} ms"));
            return string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {count:N0} | {loadSeconds:F0} | {latencies.P(0.5):F1} | {latencies.P(0.95):F1} | {latencies.P(0.95) / _sqliteP95.Value:F2} |");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            root.Delete(recursive: true);
        }
    }

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Each player plays E events over 30 days: sittings of 20 events a minute apart, a sitting every 3 days (so about
    /// E / 20 sessions a player), on one of three platforms; written in batches of 5,000 events with their sessions jobs.
    /// </summary>
    private static async Task LoadAsync(Stores store, int players, int events)
    {
        string[] platforms = ["WebGL", "iOS", "Android"];
        var batch = new List<EventRecord>(5_000);
        for (var p = 0; p < players; p++)
        {
            var player = "p1_" + p.ToString("x32", CultureInfo.InvariantCulture);
            var device = $$"""{"platform":"{{platforms[p % 3]}}"}""";
            for (var e = 0; e < events; e++)
            {
                var at = Start.AddDays(3 * (e / 20) % 30).AddMinutes(p % 600 + e % 20);
                batch.Add(new EventRecord(Org, Game, "bench", $"{p}-{e}", e % 20 == 0 ? "session_start" : "xp_gain", at, player, null, null, """{"n":1}""",
                    device, null, null, "standard", [new JobKey(SessionsProjection.Name, Game)]));
                if (batch.Count == 5_000)
                {
                    await store.Events.WriteAsync([new WriteBatch(batch, [], [])], CancellationToken.None);
                    batch.Clear();
                }
            }
        }
        if (batch.Count > 0)
        {
            await store.Events.WriteAsync([new WriteBatch(batch, [], [])], CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
