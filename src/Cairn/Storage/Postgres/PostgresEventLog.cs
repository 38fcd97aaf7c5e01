using System.Globalization;
using System.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>The event log on PostgreSQL: events (partitioned by day), the quarantine, and (in the same transaction) the jobs they trigger.</summary>
internal sealed class PostgresEventLog(PostgresDatabase db) : IEventLog
{
    public async Task<IReadOnlyList<bool[]>> WriteAsync(IReadOnlyList<WriteBatch> batches, CancellationToken cancellationToken)
    {
        var all = batches.SelectMany(b => b.Events).ToList();
        try
        {
            await db.EnsurePartitionsAsync(all.Select(e => DateOnly.FromDateTime(e.Timestamp.UtcDateTime)), cancellationToken);
            await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var receivedAt = DateTime.UtcNow;

            var isNew = await ClaimEventIdsAsync(connection, tx, all, cancellationToken);
            await CopyEventsAsync(connection, all.Where((_, i) => isNew[i]).ToList(), receivedAt, cancellationToken);
            await InsertRejectedAsync(connection, tx, batches.SelectMany(b => b.Rejected).ToList(), receivedAt, cancellationToken);
            await InsertPlayersAsync(connection, tx, batches.SelectMany(b => b.Directory).ToList(), receivedAt, cancellationToken);
            await UpsertJobsAsync(connection, tx, all.Where((e, i) => isNew[i] && e.PlayerKey is not null && e.Jobs is { Count: > 0 }).ToList(), receivedAt, cancellationToken);
            await tx.CommitAsync(cancellationToken);

            var results = new bool[batches.Count][];
            var offset = 0;
            for (var b = 0; b < batches.Count; b++)
            {
                results[b] = isNew.AsSpan(offset, batches[b].Events.Count).ToArray();
                offset += batches[b].Events.Count;
            }
            return results;
        }
        catch (Exception ex) when (IsStoreError(ex))
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>
    /// Registers the idempotency keys; a key that was already there (or appears earlier in this write) is a duplicate.
    /// One statement for the whole write: its RETURNING lists exactly the keys that are new.
    /// </summary>
    private static async Task<bool[]> ClaimEventIdsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<EventRecord> events, CancellationToken cancellationToken)
    {
        var isNew = new bool[events.Count];
        if (events.Count == 0)
        {
            return isNew;
        }
        await using var command = new NpgsqlCommand("""
            INSERT INTO event_ids (org_id, source, event_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
            ON CONFLICT DO NOTHING
            RETURNING org_id, source, event_id;
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.OrgId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Source).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var fresh = new HashSet<(string, string, string)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                fresh.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        for (var i = 0; i < events.Count; i++)
        {
            // The first occurrence of a new key takes it; a repeat later in the same write is a duplicate.
            isNew[i] = fresh.Remove((events[i].OrgId, events[i].Source, events[i].EventId));
        }
        return isNew;
    }

    /// <summary>Binary COPY: the fastest bulk path into the (partitioned) events table.</summary>
    private static async Task CopyEventsAsync(NpgsqlConnection connection, List<EventRecord> events, DateTime receivedAt, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        await using var importer = await connection.BeginBinaryImportAsync("""
            COPY events (org_id, game, source, event_id, event_type, ts, player_key, session_id, event_key,
                         data, device, context, schema_version, privacy_level, received_at) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var e in events)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(e.OrgId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Game, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Source, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.EventId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.EventType, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, e.PlayerKey, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.SessionId, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, e.EventKey, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.DataJson, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteNullableAsync(importer, e.DeviceJson, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteNullableAsync(importer, e.ContextJson, NpgsqlDbType.Jsonb, cancellationToken);
            await WriteNullableAsync(importer, e.SchemaVersion, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.PrivacyLevel, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(receivedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    private async Task InsertRejectedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<RejectedRecord> rejected, DateTime receivedAt, CancellationToken cancellationToken)
    {
        if (rejected.Count == 0)
        {
            return;
        }
        var max = db.Options.MaxRejectedPayloadBytes;
        await using var command = new NpgsqlCommand("""
            INSERT INTO rejected_events (org_id, game, event_id, player_key, received_at, raw, reasons)
            SELECT o, g, e, p, $5, r, j::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::text[], $7::text[]) AS t(o, g, e, p, r, j);
            """, connection, tx);
        command.Parameters.Add(TextArray(rejected.Select(r => r.OrgId)));
        command.Parameters.Add(TextArray(rejected.Select(r => r.Game)));
        command.Parameters.Add(TextArray(rejected.Select(r => r.EventId)));
        command.Parameters.Add(TextArray(rejected.Select(r => r.PlayerKey)));
        command.Parameters.Add(new NpgsqlParameter { Value = receivedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(TextArray(rejected.Select(r => r.RawJson.Length > max ? r.RawJson[..max] : r.RawJson)));
        command.Parameters.Add(TextArray(rejected.Select(r => r.ReasonsJson)));
        await command.ExecuteNonQueryAsync(cancellationToken);

        // Keep the quarantine bounded, each org and game on its own: one org's flood evicts only its own rows. Every
        // TrimEveryWrites writes with rejected events, and by one writer at a time (the others skip, not wait).
        List<(string OrgId, string Game)> groups;
        lock (_rejectedSinceTrim)
        {
            _rejectedSinceTrim.UnionWith(rejected.Select(r => (r.OrgId, r.Game)));
            if (++_rejectedWritesSinceTrim < TrimEveryWrites)
            {
                return;
            }
            _rejectedWritesSinceTrim = 0;
            groups = [.. _rejectedSinceTrim];
            _rejectedSinceTrim.Clear();
        }
        await using (var claim = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({TrimLock});", connection, tx))
        {
            if (await claim.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return;
            }
        }
        foreach (var (org, game) in groups)
        {
            await TrimRejectedOfGameAsync(connection, tx, org, game, cancellationToken);
        }
        foreach (var org in groups.Select(g => g.OrgId).Distinct(StringComparer.Ordinal))
        {
            await TrimRejectedOfOrgAsync(connection, tx, org, cancellationToken);
        }
    }

    private const int TrimEveryWrites = 100;

    /// <summary>The advisory lock a quarantine trim holds for its transaction.</summary>
    private const long TrimLock = 0x43616972_6e517472;

    private readonly HashSet<(string OrgId, string Game)> _rejectedSinceTrim = [];
    private int _rejectedWritesSinceTrim;

    public Task<long> TrimRejectedAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using (var claim = Command(connection, tx, $"SELECT pg_advisory_xact_lock({TrimLock});"))
            {
                await claim.ExecuteNonQueryAsync(cancellationToken);
            }
            long deleted;
            await using (var old = Command(connection, tx, "DELETE FROM rejected_events WHERE received_at < $1;", receivedBefore))
            {
                deleted = await old.ExecuteNonQueryAsync(cancellationToken);
            }
            var games = new List<(string, string)>();
            await using (var over = Command(connection, tx, "SELECT org_id, game FROM rejected_events GROUP BY org_id, game HAVING COUNT(*) > $1;", (long)db.Options.MaxRejectedEvents))
            await using (var reader = await over.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    games.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            foreach (var (org, game) in games)
            {
                deleted += await TrimRejectedOfGameAsync(connection, tx, org, game, cancellationToken);
            }
            var orgs = new List<string>();
            await using (var over = Command(connection, tx, "SELECT org_id FROM rejected_events GROUP BY org_id HAVING COUNT(*) > $1;", (long)db.Options.MaxRejectedEventsPerOrg))
            await using (var reader = await over.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    orgs.Add(reader.GetString(0));
                }
            }
            foreach (var org in orgs)
            {
                deleted += await TrimRejectedOfOrgAsync(connection, tx, org, cancellationToken);
            }
            return deleted;
        }, cancellationToken);

    // The newest rows up to the cap stay; the index on (org_id, id) finds the cut without a full scan.
    private async Task<long> TrimRejectedOfGameAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string org, string game, CancellationToken cancellationToken)
    {
        await using var trim = Command(connection, tx, """
            DELETE FROM rejected_events WHERE org_id = $1 AND game = $2 AND id <= (
                SELECT id FROM rejected_events WHERE org_id = $1 AND game = $2 ORDER BY id DESC OFFSET $3 LIMIT 1);
            """, org, game, (long)db.Options.MaxRejectedEvents);
        return await trim.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> TrimRejectedOfOrgAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string org, CancellationToken cancellationToken)
    {
        await using var trim = Command(connection, tx, """
            DELETE FROM rejected_events WHERE org_id = $1 AND id <= (
                SELECT id FROM rejected_events WHERE org_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1);
            """, org, (long)db.Options.MaxRejectedEventsPerOrg);
        return await trim.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertPlayersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<DirectoryEntry> entries, DateTime now, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand("""
            INSERT INTO players (player_key, org_id, raw_id, first_seen)
            SELECT DISTINCT ON (k) k, o, r, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(k, o, r)
            ON CONFLICT (player_key) DO NOTHING;
            """, connection, tx);
        command.Parameters.Add(TextArray(entries.Select(e => e.PlayerKey)));
        command.Parameters.Add(TextArray(entries.Select(e => e.OrgId)));
        command.Parameters.Add(TextArray(entries.Select(e => e.RawPlayerId)));
        command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The outbox: one job per (projection, player, key), coalesced; a new trigger bumps the version of a queued one.</summary>
    private static async Task UpsertJobsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<EventRecord> triggers, DateTime now, CancellationToken cancellationToken)
    {
        // ON CONFLICT DO UPDATE may touch a row once per statement, so repeats within this write are folded first.
        // Each trigger counts as one version step, as it would one statement at a time.
        var jobs = new Dictionary<(string, string, string, string, string), (string Trigger, int Count)>();
        foreach (var e in triggers)
        {
            foreach (var job in e.Jobs!)
            {
                var key = (job.Projection, e.OrgId, e.Game, e.PlayerKey!, job.Key);
                jobs[key] = (e.EventId, jobs.TryGetValue(key, out var seen) ? seen.Count + 1 : 1);
            }
        }
        if (jobs.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand("""
            INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at, version)
            SELECT j, o, g, k, p, t, $7, $7, n
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $8::bigint[]) AS x(j, o, g, k, p, t, n)
            ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET
                version = jobs.version + excluded.version,
                trigger_event_id = excluded.trigger_event_id,
                run_after = LEAST(jobs.run_after, excluded.run_after);
            """, connection, tx);
        command.Parameters.Add(TextArray(jobs.Keys.Select(k => k.Item1)));
        command.Parameters.Add(TextArray(jobs.Keys.Select(k => k.Item2)));
        command.Parameters.Add(TextArray(jobs.Keys.Select(k => k.Item3)));
        command.Parameters.Add(TextArray(jobs.Keys.Select(k => k.Item4)));
        command.Parameters.Add(TextArray(jobs.Keys.Select(k => k.Item5)));
        command.Parameters.Add(TextArray(jobs.Values.Select(v => v.Trigger)));
        command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = jobs.Values.Select(v => (long)v.Count).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<StoredEvent>> GetTimelineAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("""
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data::text, device::text, context::text, schema_version, privacy_level, received_at
            FROM events WHERE player_key = @pk
            """);
        command.Parameters.AddWithValue("pk", query.PlayerKey);
        if (query.Games is { } games)
        {
            sql.Append(" AND game = ANY(@games)");
            command.Parameters.AddWithValue("games", games.ToArray());
        }
        if (query.Since is { } since)
        {
            sql.Append(" AND ts >= @since");
            command.Parameters.AddWithValue("since", since.UtcDateTime);
        }
        if (query.Until is { } until)
        {
            sql.Append(" AND ts < @until");
            command.Parameters.AddWithValue("until", until.UtcDateTime);
        }
        if (Cursor.TryDecode(query.Cursor, out var cursorTs, out var cursorSeq))
        {
            sql.Append(" AND (ts, seq) < (@cts, @cseq)");
            command.Parameters.AddWithValue("cts", TimeCodec.FromMicros(cursorTs).UtcDateTime);
            command.Parameters.AddWithValue("cseq", cursorSeq);
        }
        sql.Append(" ORDER BY ts DESC, seq DESC LIMIT @limit;");
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadStoredEvent(reader));
        }
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            next = Cursor.Encode(TimeCodec.ToMicros(items[^1].Timestamp), items[^1].Seq);
        }
        return new Page<StoredEvent>(items, next);
    }

    public async Task<IReadOnlyList<StoredEvent>> QuerySourceAsync(SourceQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("""
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data::text, device::text, context::text, schema_version, privacy_level, received_at
            FROM events WHERE org_id = @org AND source = @source
            """);
        command.Parameters.AddWithValue("org", query.OrgId);
        command.Parameters.AddWithValue("source", query.Source);
        if (query.EventId is { } eventId)
        {
            sql.Append(" AND event_id = @eid");
            command.Parameters.AddWithValue("eid", eventId);
        }
        if (query.PlayerKey is { } playerKey)
        {
            sql.Append(" AND player_key = @pk");
            command.Parameters.AddWithValue("pk", playerKey);
        }
        if (query.EventTypes is { } types)
        {
            sql.Append(" AND event_type = ANY(@types)");
            command.Parameters.AddWithValue("types", types.ToArray());
        }
        if (query.StoredSince is { } since)
        {
            sql.Append(" AND received_at > @since");
            command.Parameters.AddWithValue("since", since.UtcDateTime);
        }
        if (query.StoredUntil is { } until)
        {
            sql.Append(" AND received_at <= @until");
            command.Parameters.AddWithValue("until", until.UtcDateTime);
        }
        if (query.AfterSeq is { } after)
        {
            sql.Append(query.Ascending ? " AND seq > @after" : " AND seq < @after");
            command.Parameters.AddWithValue("after", after);
        }
        sql.Append(query.Ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC").Append(" LIMIT @limit;");
        command.Parameters.AddWithValue("limit", query.Limit);
        command.CommandText = sql.ToString();
        var items = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadStoredEvent(reader));
        }
        return items;
    }

    public async Task<Page<StoredRejected>> ListRejectedAsync(string? orgId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT id, org_id, game, event_id, player_key, received_at, raw, reasons::text FROM rejected_events
            WHERE (@org::text IS NULL OR org_id = @org) AND (@before::bigint IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("org", NpgsqlDbType.Text) { Value = (object?)orgId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint)
        {
            Value = Cursor.TryDecode(cursor, out var before, out _) ? before : DBNull.Value,
        });
        command.Parameters.AddWithValue("limit", limit + 1);
        var items = new List<StoredRejected>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredRejected(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                Utc(reader.GetDateTime(5)), reader.GetString(6), ParseJson(reader.GetString(7))));
        }
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(items.Count - 1);
            next = Cursor.Encode(items[^1].Id, 0);
        }
        return new Page<StoredRejected>(items, next);
    }

    public async Task<long> CountEventsAsync(string? orgId, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM events WHERE @org::text IS NULL OR org_id = @org;", connection);
        command.Parameters.Add(new NpgsqlParameter("org", NpgsqlDbType.Text) { Value = (object?)orgId ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(
        string orgId, string game, string playerKey, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT event_id, event_type, ts, data::text, seq FROM events
            WHERE player_key = $1 AND event_type = ANY($2) AND org_id = $3 AND game = $4
            ORDER BY ts, seq;
            """, connection);
        command.Parameters.AddWithValue(playerKey);
        command.Parameters.Add(new NpgsqlParameter { Value = eventTypes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(game);
        var history = new List<HistoryEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(new HistoryEvent(reader.GetString(0), reader.GetString(1), Utc(reader.GetDateTime(2)), ParseJson(reader.GetString(3)), reader.GetInt64(4)));
        }
        return history;
    }

    public async IAsyncEnumerable<StoredEvent> ExportEventsAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data::text, device::text, context::text, schema_version, privacy_level, received_at
            FROM events
            WHERE ($1::text IS NULL OR org_id = $1) AND ($2::text IS NULL OR game = $2)
              AND ($3::timestamptz IS NULL OR ts >= $3) AND ($4::timestamptz IS NULL OR ts < $4)
              AND ($5::text[] IS NULL OR player_key = ANY($5))
            ORDER BY ts, seq;
            """, connection);
        AddExportFilter(command, filter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadStoredEvent(reader);
        }
    }

    /// <summary>One row of the event columns in their usual order (seq, event_id, … received_at), as every event read selects them.</summary>
    private static StoredEvent ReadStoredEvent(NpgsqlDataReader reader) => new(
        Seq: reader.GetInt64(0),
        EventId: reader.GetString(1),
        EventType: reader.GetString(2),
        Timestamp: Utc(reader.GetDateTime(3)),
        Game: reader.GetString(4),
        Source: reader.GetString(5),
        PlayerKey: reader.IsDBNull(6) ? null : reader.GetString(6),
        SessionId: reader.IsDBNull(7) ? null : reader.GetString(7),
        EventKey: reader.IsDBNull(8) ? null : reader.GetString(8),
        Data: ParseJson(reader.GetString(9)),
        Device: reader.IsDBNull(10) ? null : ParseJson(reader.GetString(10)),
        Context: reader.IsDBNull(11) ? null : ParseJson(reader.GetString(11)),
        SchemaVersion: reader.IsDBNull(12) ? null : reader.GetString(12),
        PrivacyLevel: reader.GetString(13),
        ReceivedAt: Utc(reader.GetDateTime(14)));
}
