using System.Diagnostics;
using System.Globalization;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// The PostgreSQL ceiling: the same rows the server stores, written with binary COPY into a fresh database made by
/// the store's own migrations (same partitions, same indexes), one transaction per batch, by one connection.
/// </summary>
internal static class RawCopyInsert
{
    public static async Task<RawBulkInsert.Result> RunAsync(LoadSettings settings, string connectionString, List<EventRecord>[] warmup, List<EventRecord>[] measured)
    {
        await using (var store = Cairn.Hosting.CairnConfiguration.CreateStore(new StorageOptions { Store = connectionString }))
        {
            await store.Schema.MigrateAsync(CancellationToken.None);
        }
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        // The server makes the partitions its events need before writing them; so does this side, outside the timing.
        foreach (var day in warmup.Concat(measured).SelectMany(b => b).Select(e => DateOnly.FromDateTime(e.Timestamp.UtcDateTime)).Distinct())
        {
            await using var create = new NpgsqlCommand(
                $"CREATE TABLE IF NOT EXISTS events_{day:yyyyMMdd} PARTITION OF events FOR VALUES FROM ('{day:yyyy-MM-dd} 00:00:00+00') TO ('{day.AddDays(1):yyyy-MM-dd} 00:00:00+00');",
                connection);
            await create.ExecuteNonQueryAsync();
        }

        await CopyAsync(connection, warmup);
        var started = Stopwatch.GetTimestamp();
        var latencies = await CopyAsync(connection, measured);
        var elapsed = Stopwatch.GetElapsedTime(started);

        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM events WHERE org_id = $1;", connection);
        count.Parameters.AddWithValue(HttpIngestRun.Org);
        var stored = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        if (stored != settings.Events)
        {
            throw new InvalidOperationException($"The raw COPY stored {stored} events; {settings.Events} were meant.");
        }
        return new RawBulkInsert.Result(settings.Events, elapsed, latencies, connectionString);
    }

    private static async Task<double[]> CopyAsync(NpgsqlConnection connection, List<EventRecord>[] batches)
    {
        var latencies = new double[batches.Length];
        for (var b = 0; b < batches.Length; b++)
        {
            var started = Stopwatch.GetTimestamp();
            var receivedAt = DateTime.UtcNow;
            await using (var tx = await connection.BeginTransactionAsync())
            {
                await using (var importer = await connection.BeginBinaryImportAsync("""
                    COPY events (org_id, game, source, event_id, event_type, ts, player_key, session_id, event_key,
                                 data, device, context, schema_version, privacy_level, received_at) FROM STDIN (FORMAT BINARY)
                    """))
                {
                    foreach (var e in batches[b])
                    {
                        await importer.StartRowAsync();
                        await importer.WriteAsync(e.OrgId, NpgsqlDbType.Text);
                        await importer.WriteAsync(e.Game, NpgsqlDbType.Text);
                        await importer.WriteAsync(e.Source, NpgsqlDbType.Text);
                        await importer.WriteAsync(e.EventId, NpgsqlDbType.Text);
                        await importer.WriteAsync(e.EventType, NpgsqlDbType.Text);
                        await importer.WriteAsync(e.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz);
                        await WriteNullableAsync(importer, e.PlayerKey, NpgsqlDbType.Text);
                        await WriteNullableAsync(importer, e.SessionId, NpgsqlDbType.Text);
                        await WriteNullableAsync(importer, e.EventKey, NpgsqlDbType.Text);
                        await importer.WriteAsync(e.DataJson, NpgsqlDbType.Jsonb);
                        await WriteNullableAsync(importer, e.DeviceJson, NpgsqlDbType.Jsonb);
                        await WriteNullableAsync(importer, e.ContextJson, NpgsqlDbType.Jsonb);
                        await WriteNullableAsync(importer, e.SchemaVersion, NpgsqlDbType.Text);
                        await importer.WriteAsync(e.PrivacyLevel, NpgsqlDbType.Text);
                        await importer.WriteAsync(receivedAt, NpgsqlDbType.TimestampTz);
                    }
                    await importer.CompleteAsync();
                }
                await tx.CommitAsync();
            }
            latencies[b] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return latencies;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type) =>
        value is null ? importer.WriteNullAsync() : importer.WriteAsync(value, type);
}
