using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// The ingest load benchmark. One run measures HTTP ingest and the raw bulk insert of the same rows on the same
/// machine, so the ratio between them is the number that carries over between machines.
/// </summary>
internal static class LoadBenchmark
{
    public const double TargetEventsPerSecond = 50_000;
    public const double TargetRatio = 0.6;

    public sealed record Report(HttpIngestRun.Result Http, RawBulkInsert.Result Raw, LoadSettings Settings, double BytesPerEvent, double PipelineEventsPerSecond)
    {
        public double Ratio => Http.EventsPerSecond / Raw.EventsPerSecond;

        public bool TargetsMet => Http.EventsPerSecond >= TargetEventsPerSecond && Ratio >= TargetRatio;
    }

    public static async Task<Report> RunAsync(LoadSettings settings, TextWriter console)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-load-").FullName;
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            await File.WriteAllTextAsync(Path.Combine(catalogs, "mhs.yaml"), EventGenerator.CatalogYaml);

            console.WriteLine($"Generating {settings.Events:N0} events (+{settings.Warmup:N0} warm-up) in batches of {settings.Batch} …");
            var warmup = EventGenerator.Bodies("warm", settings.Warmup, settings.Batch, settings.Players, seed: 7);
            var measured = EventGenerator.Bodies("ev", settings.Events, settings.Batch, settings.Players, seed: 42);
            var bytes = measured.Sum(b => (long)b.Length);
            console.WriteLine($"  {bytes / (double)settings.Events:F0} bytes of JSON per event on average, {bytes / 1e6:F1} MB in {measured.Length:N0} requests");

            console.WriteLine($"HTTP ingest: {settings.Clients} clients, synchronous={settings.Synchronous} …");
            var http = await HttpIngestRun.RunAsync(settings, directory, catalogs, warmup, measured, console);

            console.WriteLine("Raw bulk insert of the same rows …");
            var rawWarmup = RawBulkInsert.Records(warmup, HttpIngestRun.WarmupOrg, catalogs);
            var pipelineStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            var rawMeasured = RawBulkInsert.Records(measured, HttpIngestRun.Org, catalogs);
            var pipelineElapsed = System.Diagnostics.Stopwatch.GetElapsedTime(pipelineStarted);
            var raw = await RawBulkInsert.RunAsync(settings, directory, rawWarmup, rawMeasured);

            var same = CountSameRows(http.DatabasePath, raw.DatabasePath);
            if (same != settings.Events)
            {
                throw new InvalidOperationException($"Only {same} of {settings.Events} rows are identical in the two databases.");
            }
            console.WriteLine($"  verified: both databases hold the same {same:N0} rows (ids, player keys, data, device, context)");

            var report = new Report(http, raw, settings, bytes / (double)settings.Events, settings.Events / pipelineElapsed.TotalSeconds);
            var markdown = Markdown(report);
            await ResultFile.WriteAsync(console, markdown, settings.MarkdownPath);
            return report;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Rows of the org that are identical, column for column (but the receive time), in both files.</summary>
    private static long CountSameRows(string serverDb, string rawDb)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = serverDb, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "ATTACH DATABASE $raw AS raw;";
        command.Parameters.AddWithValue("$raw", rawDb);
        command.ExecuteNonQuery();
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$org", HttpIngestRun.Org);
        command.CommandText = """
            SELECT COUNT(*) FROM main.events s JOIN raw.events r
              ON r.org_id = s.org_id AND r.source = s.source AND r.event_id = s.event_id
            WHERE s.org_id = $org AND r.game = s.game AND r.event_type = s.event_type AND r.ts = s.ts
              AND r.player_key IS s.player_key AND r.session_id IS s.session_id AND r.event_key IS s.event_key
              AND r.data = s.data AND r.device IS s.device AND r.context IS s.context
              AND r.schema_version IS s.schema_version AND r.privacy_level = s.privacy_level;
            """;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static string Markdown(Report report)
    {
        var s = report.Settings;
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Ingest load, {s.Events:N0} events of ~{report.BytesPerEvent:F0} B, batch {s.Batch}, {s.Clients} HTTP clients, " +
            $"SQLite WAL synchronous={s.Synchronous}; {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}.");
        text.AppendLine();
        text.AppendLine("| path | events/s | p50 latency (ms) | p99 latency (ms) |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        text.AppendLine(inv, $"| HTTP ingest (per request of {s.Batch}) | {report.Http.EventsPerSecond:N0} | {Percentile(report.Http.LatenciesMs, 0.50):F1} | {Percentile(report.Http.LatenciesMs, 0.99):F1} |");
        text.AppendLine(inv, $"| raw bulk insert (per transaction of {s.Batch}) | {report.Raw.EventsPerSecond:N0} | {Percentile(report.Raw.CommitLatenciesMs, 0.50):F1} | {Percentile(report.Raw.CommitLatenciesMs, 0.99):F1} |");
        text.AppendLine();
        text.AppendLine(inv, $"Group commit: {report.Http.Requests:N0} requests in {report.Http.Commits:N0} transactions " +
            $"({report.Http.Requests / (double)Math.Max(1, report.Http.Commits):F1} requests, {report.Http.Events / (double)Math.Max(1, report.Http.Commits):N0} events per commit). " +
            $"Parse + normalize + validate + pseudonymize alone, one thread: {report.PipelineEventsPerSecond:N0} events/s.");
        text.AppendLine();
        text.AppendLine(inv, $"Ratio HTTP ingest / raw bulk insert: **{report.Ratio:F2}** (target ≥ {TargetRatio:F1}); " +
            $"HTTP ingest {report.Http.EventsPerSecond:N0} events/s (target ≥ {TargetEventsPerSecond:N0}). " +
            $"Targets {(report.TargetsMet ? "met" : "NOT met")}.");
        return text.ToString();
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
