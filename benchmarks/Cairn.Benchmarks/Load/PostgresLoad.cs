using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// The ingest load benchmark on PostgreSQL: HTTP ingest into a fresh database against binary COPY of the same rows
/// into another fresh database with the same schema, in one run. Both databases are created on the given server
/// and dropped afterwards.
/// </summary>
internal static class PostgresLoad
{
    public const double TargetRatio = 0.6;

    public static async Task RunAsync(LoadSettings settings, TextWriter console)
    {
        var admin = new NpgsqlConnectionStringBuilder(settings.Postgres);
        var suffix = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var httpDb = $"cairn_bench_http_{suffix}";
        var rawDb = $"cairn_bench_raw_{suffix}";
        var storeDb = $"cairn_bench_store_{suffix}";
        var directory = Directory.CreateTempSubdirectory("cairn-load-pg-").FullName;
        await using var adminSource = NpgsqlDataSource.Create(admin.ConnectionString);
        foreach (var db in new[] { httpDb, rawDb, storeDb })
        {
            await using var create = adminSource.CreateCommand($"CREATE DATABASE {db};");
            await create.ExecuteNonQueryAsync();
        }
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            await File.WriteAllTextAsync(Path.Combine(catalogs, "mhs.yaml"), EventGenerator.CatalogYaml);
            var httpStore = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = httpDb }.ConnectionString;
            var rawStore = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = rawDb }.ConnectionString;
            var storeOnly = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = storeDb }.ConnectionString;
            var synchronousCommit = await ScalarAsync(httpStore, "SHOW synchronous_commit;");

            console.WriteLine($"Generating {settings.Events:N0} events (+{settings.Warmup:N0} warm-up) in batches of {settings.Batch} …");
            var warmup = EventGenerator.Bodies("warm", settings.Warmup, settings.Batch, settings.Players, seed: 7);
            var measured = EventGenerator.Bodies("ev", settings.Events, settings.Batch, settings.Players, seed: 42);
            var bytes = measured.Sum(b => (long)b.Length);

            console.WriteLine($"HTTP ingest into PostgreSQL database {httpDb}: {settings.Clients} clients …");
            var loadBefore = Progress.Latencies.LoadAverage();
            var http = await HttpIngestRun.RunAsync(settings, directory, catalogs, warmup, measured, console, httpStore);
            var loadBetween = Progress.Latencies.LoadAverage();

            console.WriteLine($"Raw binary COPY of the same rows into {rawDb} …");
            var rawWarmup = RawBulkInsert.Records(warmup, HttpIngestRun.WarmupOrg, catalogs);
            var rawMeasured = RawBulkInsert.Records(measured, HttpIngestRun.Org, catalogs);
            var raw = await RawCopyInsert.RunAsync(settings, rawStore, rawWarmup, rawMeasured);

            // Where the time goes: the store's own write (idempotency keys, COPY, player directory, jobs) of the same
            // batches, called in-process one after the other: no HTTP, no parsing, no group commit.
            console.WriteLine($"PostgresStore.Events.WriteAsync of the same batches into {storeDb} …");
            var storeSide = await StoreOnlyAsync(settings, storeOnly,
                RawBulkInsert.Batches(warmup, HttpIngestRun.WarmupOrg, catalogs), RawBulkInsert.Batches(measured, HttpIngestRun.Org, catalogs));
            var loadAfter = Progress.Latencies.LoadAverage();

            // Same rows, column for column (but the receive time): a digest of each side.
            const string digest = """
                SELECT md5(string_agg(concat_ws('|', source, event_id, game, event_type, ts, player_key, session_id, event_key,
                                                 data::text, device::text, context::text, schema_version, privacy_level), E'\n' ORDER BY source, event_id))
                FROM events WHERE org_id = 'bench';
                """;
            var (httpDigest, rawDigest) = (await ScalarAsync(httpStore, digest), await ScalarAsync(rawStore, digest));
            if (httpDigest != rawDigest)
            {
                throw new InvalidOperationException("The two databases do not hold the same rows.");
            }
            console.WriteLine($"  verified: both databases hold the same {settings.Events:N0} rows (digest {httpDigest})");

            var ratio = http.EventsPerSecond / raw.EventsPerSecond;
            var inv = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.AppendLine(inv, $"Ingest load on PostgreSQL {await ScalarAsync(httpStore, "SHOW server_version;")} (local, synchronous_commit={synchronousCommit}), " +
                $"{settings.Events:N0} events of ~{bytes / (double)settings.Events:F0} B, batch {settings.Batch}, {settings.Clients} HTTP clients; " +
                $"load average {loadBefore} before, {loadBetween} between, {loadAfter} after; {Environment.ProcessorCount} cores.");
            text.AppendLine();
            text.AppendLine("| path | events/s | p50 latency (ms) | p99 latency (ms) |");
            text.AppendLine("| --- | ---: | ---: | ---: |");
            text.AppendLine(inv, $"| HTTP ingest (per request of {settings.Batch}) | {http.EventsPerSecond:N0} | {P(http.LatenciesMs, 0.50):F1} | {P(http.LatenciesMs, 0.99):F1} |");
            text.AppendLine(inv, $"| raw binary COPY (per transaction of {settings.Batch}) | {raw.EventsPerSecond:N0} | {P(raw.CommitLatenciesMs, 0.50):F1} | {P(raw.CommitLatenciesMs, 0.99):F1} |");
            text.AppendLine(inv, $"| PostgresStore.Events.WriteAsync in-process (per batch of {settings.Batch}; for where the time goes) | {storeSide.EventsPerSecond:N0} | {P(storeSide.CommitLatenciesMs, 0.50):F1} | {P(storeSide.CommitLatenciesMs, 0.99):F1} |");
            text.AppendLine();
            text.AppendLine(inv, $"Group commit: {http.Requests:N0} requests in {http.Commits:N0} transactions ({http.Requests / (double)Math.Max(1, http.Commits):F1} requests per commit).");
            text.AppendLine();
            text.AppendLine(inv, $"Ratio HTTP ingest / raw COPY: **{ratio:F2}** (target ≥ {TargetRatio:F1}): {(ratio >= TargetRatio ? "met" : "NOT met")}.");
            var markdown = text.ToString();
            await ResultFile.WriteAsync(console, markdown, settings.MarkdownPath);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            foreach (var db in new[] { httpDb, rawDb, storeDb })
            {
                await using var drop = adminSource.CreateCommand($"DROP DATABASE IF EXISTS {db} WITH (FORCE);");
                await drop.ExecuteNonQueryAsync();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<RawBulkInsert.Result> StoreOnlyAsync(LoadSettings settings, string connectionString, WriteBatch[] warmup, WriteBatch[] measured)
    {
        await using var store = Cairn.Hosting.CairnConfiguration.CreateStore(new StorageOptions { Store = connectionString });
        await store.Schema.MigrateAsync(CancellationToken.None);
        foreach (var batch in warmup)
        {
            await store.Events.WriteAsync([batch], CancellationToken.None);
        }
        var latencies = new double[measured.Length];
        var started = Stopwatch.GetTimestamp();
        for (var b = 0; b < measured.Length; b++)
        {
            var t = Stopwatch.GetTimestamp();
            await store.Events.WriteAsync([measured[b]], CancellationToken.None);
            latencies[b] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var stored = await store.Events.CountEventsAsync(HttpIngestRun.Org, CancellationToken.None);
        if (stored != settings.Events)
        {
            throw new InvalidOperationException($"The store-only side stored {stored} events; {settings.Events} were meant.");
        }
        return new RawBulkInsert.Result(settings.Events, elapsed, latencies, connectionString);
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private static double P(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
