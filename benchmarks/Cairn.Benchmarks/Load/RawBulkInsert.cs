using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// Side (c) of the load benchmark: the ceiling. The same rows the server stores, inserted straight into a
/// fresh SQLite file with the same schema, indexes and durability, by one thread with one prepared statement
/// and one transaction per batch. No HTTP, no parsing, no validation, no group commit.
/// </summary>
internal static class RawBulkInsert
{
    public sealed record Result(int Events, TimeSpan Elapsed, double[] CommitLatenciesMs, string DatabasePath)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The records the pipeline produces for these bodies, parsed exactly as <c>POST /v1/events</c> parses them,
    /// with the server's pepper and catalogs: the raw side writes the very rows the HTTP side wrote.
    /// </summary>
    public static List<EventRecord>[] Records(byte[][] bodies, string org, string catalogs) =>
        [.. Batches(bodies, org, catalogs).Select(b => b.Events.ToList())];

    /// <summary>The whole write of each request (events, and the player directory entries), as the pipeline prepares it.</summary>
    public static WriteBatch[] Batches(byte[][] bodies, string org, string catalogs)
    {
        var pipeline = new IngestPipeline(
            new EventNormalizer(CatalogLoader.LoadDirectory(catalogs), new IngestOptions().DropFields),
            new PlayerKeys(Encoding.UTF8.GetBytes(HttpIngestRun.Pepper), new IdentityOptions().PepperVersion),
            new IngestOptions().MaxEventBytes);
        var scope = new IngestScope(org, EventGenerator.Game);
        var batches = new WriteBatch[bodies.Length];
        for (var b = 0; b < bodies.Length; b++)
        {
            using var document = JsonDocument.Parse(bodies[b]);
            var incoming = document.RootElement.EnumerateArray()
                .Select(e => new IncomingEvent(JsonObject.Create(e), JsonMarshal.GetRawUtf8Value(e).Length, e))
                .ToList();
            var prepared = pipeline.Prepare(scope, incoming);
            if (prepared.Batch.Rejected.Count > 0)
            {
                throw new InvalidOperationException($"The pipeline rejected {prepared.Batch.Rejected.Count} generated events: {prepared.Batch.Rejected[0].ReasonsJson}");
            }
            batches[b] = prepared.Batch;
        }
        return batches;
    }

    public static async Task<Result> RunAsync(LoadSettings settings, string directory, List<EventRecord>[] warmup, List<EventRecord>[] measured)
    {
        var storage = new StorageOptions { DataDirectory = Path.Combine(directory, "raw"), Synchronous = settings.Synchronous };
        // The store's own migrations: same tables, same indexes, WAL.
        await using (var store = Cairn.Hosting.CairnConfiguration.CreateStore(storage))
        {
            await store.Schema.MigrateAsync(CancellationToken.None);
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = storage.SqlitePath, Pooling = false }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // The same tuning as the store's writer connection, so the ratio measures ingest, not SQLite settings.
            pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={settings.Synchronous}; {SqliteDatabase.WriterTuning}";
            pragma.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO events (org_id, game, source, event_id, event_type, ts, player_key, session_id, event_key,
                                data, device, context, schema_version, privacy_level, received_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (org_id, source, event_id) DO NOTHING;
            """;
        var p = new SqliteParameter[15];
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = insert.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
        }
        insert.Prepare();

        Insert(connection, insert, p, warmup);
        var started = Stopwatch.GetTimestamp();
        var latencies = Insert(connection, insert, p, measured);
        var elapsed = Stopwatch.GetElapsedTime(started);

        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM events WHERE org_id = $org;";
            count.Parameters.AddWithValue("$org", HttpIngestRun.Org);
            var stored = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (stored != settings.Events)
            {
                throw new InvalidOperationException($"The raw insert stored {stored} events; {settings.Events} were meant.");
            }
        }
        return new Result(settings.Events, elapsed, latencies, storage.SqlitePath);
    }

    private static double[] Insert(SqliteConnection connection, SqliteCommand insert, SqliteParameter[] p, List<EventRecord>[] batches)
    {
        var latencies = new double[batches.Length];
        for (var b = 0; b < batches.Length; b++)
        {
            var started = Stopwatch.GetTimestamp();
            var receivedAt = TimeCodec.ToMicros(DateTimeOffset.UtcNow);
            using (var tx = connection.BeginTransaction())
            {
                insert.Transaction = tx;
                foreach (var e in batches[b])
                {
                    p[0].Value = e.OrgId;
                    p[1].Value = e.Game;
                    p[2].Value = e.Source;
                    p[3].Value = e.EventId;
                    p[4].Value = e.EventType;
                    p[5].Value = TimeCodec.ToMicros(e.Timestamp);
                    p[6].Value = (object?)e.PlayerKey ?? DBNull.Value;
                    p[7].Value = (object?)e.SessionId ?? DBNull.Value;
                    p[8].Value = (object?)e.EventKey ?? DBNull.Value;
                    p[9].Value = e.DataJson;
                    p[10].Value = (object?)e.DeviceJson ?? DBNull.Value;
                    p[11].Value = (object?)e.ContextJson ?? DBNull.Value;
                    p[12].Value = (object?)e.SchemaVersion ?? DBNull.Value;
                    p[13].Value = e.PrivacyLevel;
                    p[14].Value = receivedAt;
                    insert.ExecuteNonQuery();
                }
                tx.Commit();
            }
            latencies[b] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return latencies;
    }
}
