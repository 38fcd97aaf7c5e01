using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Storage.Sqlite;

/// <summary>The event log on SQLite: events, the quarantine, and (in the same transaction as the events) the jobs they trigger.</summary>
internal sealed class SqliteEventLog(SqliteDatabase db) : IEventLog
{
    private const int TrimEveryWrites = 100;

    /// <summary>The (org, game) pairs whose quarantine grew since the last trim in the write path.</summary>
    private readonly HashSet<(string OrgId, string Game)> _rejectedSinceTrim = [];

    private long _writesSinceTrim;

    public async Task<IReadOnlyList<bool[]>> WriteAsync(IReadOnlyList<WriteBatch> batches, CancellationToken cancellationToken)
    {
        var (results, newPlayers) = await db.InWriteTransactionAsync((connection, tx) => Write(tx, batches), cancellationToken,
            // Remember players only once their row is durable, so a rolled-back write cannot hide one.
            afterCommit: written =>
            {
                if (db.KnownPlayers.Count > 1_000_000)
                {
                    db.KnownPlayers.Clear();
                }
                db.KnownPlayers.UnionWith(written.NewPlayers);
            });
        return results;
    }

    private (bool[][] Results, List<string> NewPlayers) Write(SqliteTransaction tx, IReadOnlyList<WriteBatch> batches)
    {
        var commands = db.WriterState(connection => new WriteCommands(connection));
        var receivedAt = TimeCodec.ToMicros(DateTimeOffset.UtcNow);
        var results = new bool[batches.Count][];
        var newPlayers = new List<string>();
        commands.Enlist(tx);
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            var inserted = new bool[batch.Events.Count];
            for (var i = 0; i < batch.Events.Count; i++)
            {
                var e = batch.Events[i];
                inserted[i] = commands.InsertEvent(e, receivedAt);
                // The outbox: a new trigger's jobs commit with it, so no acknowledged trigger is lost.
                if (inserted[i] && e.Jobs is { Count: > 0 } jobs && e.PlayerKey is { } playerKey)
                {
                    foreach (var job in jobs)
                    {
                        commands.UpsertJob(job.Projection, e.OrgId, e.Game, playerKey, job.Key, e.EventId, receivedAt);
                    }
                }
            }
            results[b] = inserted;
            foreach (var rejected in batch.Rejected)
            {
                commands.InsertRejected(rejected, receivedAt, db.Options.MaxRejectedPayloadBytes);
                _rejectedSinceTrim.Add((rejected.OrgId, rejected.Game));
            }
            foreach (var entry in batch.Directory)
            {
                if (!db.KnownPlayers.Contains(entry.PlayerKey) && commands.InsertPlayer(entry, receivedAt))
                {
                    newPlayers.Add(entry.PlayerKey);
                }
            }
        }
        if (++_writesSinceTrim >= TrimEveryWrites)
        {
            _writesSinceTrim = 0;
            // Each org and game is capped on its own: one org's flood of invalid events evicts only its own rows.
            foreach (var (org, game) in _rejectedSinceTrim)
            {
                commands.TrimRejectedOfGame(org, game, db.Options.MaxRejectedEvents);
            }
            foreach (var org in _rejectedSinceTrim.Select(g => g.OrgId).Distinct(StringComparer.Ordinal))
            {
                commands.TrimRejectedOfOrg(org, db.Options.MaxRejectedEventsPerOrg);
            }
            _rejectedSinceTrim.Clear();
        }
        return (results, newPlayers);
    }

    public async Task<Page<StoredEvent>> GetTimelineAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder("""
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data, device, context, schema_version, privacy_level, received_at
            FROM events WHERE player_key = $pk
            """);
        command.Parameters.AddWithValue("$pk", query.PlayerKey);
        if (query.Games is { } games)
        {
            sql.Append(" AND game IN (SELECT value FROM json_each($games))");
            command.Parameters.AddWithValue("$games", System.Text.Json.JsonSerializer.Serialize(games));
        }
        if (query.Since is { } since)
        {
            sql.Append(" AND ts >= $since");
            command.Parameters.AddWithValue("$since", TimeCodec.ToMicros(since));
        }
        if (query.Until is { } until)
        {
            sql.Append(" AND ts < $until");
            command.Parameters.AddWithValue("$until", TimeCodec.ToMicros(until));
        }
        if (Cursor.TryDecode(query.Cursor, out var cursorTs, out var cursorSeq))
        {
            sql.Append(" AND (ts < $cts OR (ts = $cts AND seq < $cseq))");
            command.Parameters.AddWithValue("$cts", cursorTs);
            command.Parameters.AddWithValue("$cseq", cursorSeq);
        }
        sql.Append(" ORDER BY ts DESC, seq DESC LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredEvent>(Math.Min(query.Limit + 1, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadStoredEvent(reader));
        }
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = Cursor.Encode(TimeCodec.ToMicros(last.Timestamp), last.Seq);
        }
        return new Page<StoredEvent>(items, next);
    }

    public async Task<IReadOnlyList<StoredEvent>> QuerySourceAsync(SourceQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder("""
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data, device, context, schema_version, privacy_level, received_at
            FROM events WHERE org_id = $org AND source = $source
            """);
        command.Parameters.AddWithValue("$org", query.OrgId);
        command.Parameters.AddWithValue("$source", query.Source);
        if (query.EventId is { } eventId)
        {
            sql.Append(" AND event_id = $eid");
            command.Parameters.AddWithValue("$eid", eventId);
        }
        if (query.PlayerKey is { } playerKey)
        {
            sql.Append(" AND player_key = $pk");
            command.Parameters.AddWithValue("$pk", playerKey);
        }
        if (query.EventTypes is { } types)
        {
            sql.Append(" AND event_type IN (SELECT value FROM json_each($types))");
            command.Parameters.AddWithValue("$types", JsonSerializer.Serialize(types));
        }
        if (query.StoredSince is { } since)
        {
            sql.Append(" AND received_at > $since");
            command.Parameters.AddWithValue("$since", TimeCodec.ToMicros(since));
        }
        if (query.StoredUntil is { } until)
        {
            sql.Append(" AND received_at <= $until");
            command.Parameters.AddWithValue("$until", TimeCodec.ToMicros(until));
        }
        if (query.AfterSeq is { } after)
        {
            sql.Append(query.Ascending ? " AND seq > $after" : " AND seq < $after");
            command.Parameters.AddWithValue("$after", after);
        }
        sql.Append(query.Ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC").Append(" LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", query.Limit);
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
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder("SELECT id, org_id, game, event_id, player_key, received_at, raw, reasons FROM rejected_events WHERE 1 = 1");
        if (orgId is not null)
        {
            sql.Append(" AND org_id = $org");
            command.Parameters.AddWithValue("$org", orgId);
        }
        if (Cursor.TryDecode(cursor, out var beforeId, out _))
        {
            sql.Append(" AND id < $before");
            command.Parameters.AddWithValue("$before", beforeId);
        }
        sql.Append(" ORDER BY id DESC LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredRejected>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredRejected(
                Id: reader.GetInt64(0),
                OrgId: reader.GetString(1),
                Game: reader.GetString(2),
                EventId: NullableString(reader, 3),
                PlayerKey: NullableString(reader, 4),
                ReceivedAt: TimeCodec.FromMicros(reader.GetInt64(5)),
                Raw: reader.GetString(6),
                Reasons: ParseJson(reader.GetString(7))));
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
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = orgId is null ? "SELECT COUNT(*) FROM events;" : "SELECT COUNT(*) FROM events WHERE org_id = $org;";
        if (orgId is not null)
        {
            command.Parameters.AddWithValue("$org", orgId);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(
        string orgId, string game, string playerKey, IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var names = eventTypes.Select((_, i) => "$t" + i).ToList();
        command.CommandText = $"""
            SELECT event_id, event_type, ts, data, seq FROM events
            WHERE player_key = $pk AND event_type IN ({string.Join(", ", names)}) AND org_id = $org AND game = $game
            ORDER BY ts, seq;
            """;
        command.Parameters.AddWithValue("$pk", playerKey);
        command.Parameters.AddWithValue("$org", orgId);
        command.Parameters.AddWithValue("$game", game);
        var index = 0;
        foreach (var type in eventTypes)
        {
            command.Parameters.AddWithValue(names[index++], type);
        }
        var history = new List<HistoryEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(new HistoryEvent(reader.GetString(0), reader.GetString(1), TimeCodec.FromMicros(reader.GetInt64(2)), ParseJson(reader.GetString(3)), reader.GetInt64(4)));
        }
        return history;
    }

    public async IAsyncEnumerable<StoredEvent> ExportEventsAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data, device, context, schema_version, privacy_level, received_at
            FROM events
            WHERE ($org IS NULL OR org_id = $org) AND ($game IS NULL OR game = $game)
              AND ($since IS NULL OR ts >= $since) AND ($until IS NULL OR ts < $until)
              AND ($keys IS NULL OR player_key IN (SELECT value FROM json_each($keys)))
            ORDER BY ts, seq;
            """;
        AddExportFilter(command, filter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadStoredEvent(reader);
        }
    }

    // The newest `keep` rows of the org (and game) stay; the index on (org_id, id) finds the cut without a full scan.
    private const string TrimRejectedOfGameSql = """
        DELETE FROM rejected_events WHERE org_id = $1 AND game = $2 AND id <= (
            SELECT id FROM rejected_events WHERE org_id = $1 AND game = $2 ORDER BY id DESC LIMIT 1 OFFSET $3);
        """;

    private const string TrimRejectedOfOrgSql = """
        DELETE FROM rejected_events WHERE org_id = $1 AND id <= (
            SELECT id FROM rejected_events WHERE org_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2);
        """;

    public Task<long> TrimRejectedAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            var commands = db.WriterState(writer => new WriteCommands(writer));
            commands.Enlist(tx);
            long deleted;
            using (var old = Command(connection, tx, "DELETE FROM rejected_events WHERE received_at < $cutoff;", ("$cutoff", TimeCodec.ToMicros(receivedBefore))))
            {
                deleted = old.ExecuteNonQuery();
            }
            foreach (var (org, game) in OverCap(connection, tx, "SELECT org_id, game FROM rejected_events GROUP BY org_id, game HAVING COUNT(*) > $cap;", db.Options.MaxRejectedEvents))
            {
                deleted += commands.TrimRejectedOfGame(org, game!, db.Options.MaxRejectedEvents);
            }
            foreach (var (org, _) in OverCap(connection, tx, "SELECT org_id, NULL FROM rejected_events GROUP BY org_id HAVING COUNT(*) > $cap;", db.Options.MaxRejectedEventsPerOrg))
            {
                deleted += commands.TrimRejectedOfOrg(org, db.Options.MaxRejectedEventsPerOrg);
            }
            return deleted;
        }, cancellationToken);

    private static List<(string OrgId, string? Game)> OverCap(SqliteConnection connection, SqliteTransaction tx, string sql, int cap)
    {
        using var command = Command(connection, tx, sql, ("$cap", cap));
        using var reader = command.ExecuteReader();
        var groups = new List<(string, string?)>();
        while (reader.Read())
        {
            groups.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
        return groups;
    }

    /// <summary>The writer's prepared statements, reused across transactions.</summary>
    private sealed class WriteCommands : IDisposable
    {
        private readonly SqliteCommand _insertEvent;
        private readonly SqliteCommand _insertRejected;
        private readonly SqliteCommand _insertPlayer;
        private readonly SqliteCommand _trimRejectedOfGame;
        private readonly SqliteCommand _trimRejectedOfOrg;
        private readonly SqliteCommand _upsertJob;
        private readonly SqliteParameter[] _j;
        private readonly SqliteParameter[] _e;
        private readonly SqliteParameter[] _r;
        private readonly SqliteParameter[] _p;

        public WriteCommands(SqliteConnection connection)
        {
            (_insertEvent, _e) = Prepare(connection, """
                INSERT INTO events (org_id, game, source, event_id, event_type, ts, player_key, session_id, event_key,
                                    data, device, context, schema_version, privacy_level, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                ON CONFLICT (org_id, source, event_id) DO NOTHING;
                """, 15);
            (_insertRejected, _r) = Prepare(connection, """
                INSERT INTO rejected_events (org_id, game, event_id, player_key, received_at, raw, reasons)
                VALUES ($1, $2, $3, $4, $5, $6, $7);
                """, 7);
            (_insertPlayer, _p) = Prepare(connection, """
                INSERT INTO players (player_key, org_id, raw_id, first_seen) VALUES ($1, $2, $3, $4)
                ON CONFLICT (player_key) DO NOTHING;
                """, 4);
            // A job already queued for the same (projection, player, key) absorbs the new trigger: its version moves on,
            // so a worker running it right now will run it once more instead of deleting it.
            (_upsertJob, _j) = Prepare(connection, """
                INSERT INTO jobs (projection, org_id, game, player_key, job_key, trigger_event_id, run_after, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                ON CONFLICT (projection, org_id, game, player_key, job_key) DO UPDATE SET
                    version = version + 1,
                    trigger_event_id = excluded.trigger_event_id,
                    run_after = MIN(run_after, excluded.run_after);
                """, 7);
            (_trimRejectedOfGame, _) = Prepare(connection, TrimRejectedOfGameSql, 3);
            (_trimRejectedOfOrg, _) = Prepare(connection, TrimRejectedOfOrgSql, 2);
        }

        private static (SqliteCommand, SqliteParameter[]) Prepare(SqliteConnection connection, string sql, int count)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            var parameters = new SqliteParameter[count];
            for (var i = 0; i < count; i++)
            {
                parameters[i] = command.Parameters.Add(new SqliteParameter("$" + (i + 1), null));
            }
            return (command, parameters);
        }

        public void Enlist(SqliteTransaction tx)
        {
            _insertEvent.Transaction = tx;
            _insertRejected.Transaction = tx;
            _insertPlayer.Transaction = tx;
            _trimRejectedOfGame.Transaction = tx;
            _trimRejectedOfOrg.Transaction = tx;
            _upsertJob.Transaction = tx;
        }

        public void UpsertJob(string projection, string org, string game, string playerKey, string key, string triggerEventId, long now)
        {
            _j[0].Value = projection;
            _j[1].Value = org;
            _j[2].Value = game;
            _j[3].Value = playerKey;
            _j[4].Value = key;
            _j[5].Value = triggerEventId;
            _j[6].Value = now;
            _upsertJob.ExecuteNonQuery();
        }

        public bool InsertEvent(EventRecord e, long receivedAt)
        {
            _e[0].Value = e.OrgId;
            _e[1].Value = e.Game;
            _e[2].Value = e.Source;
            _e[3].Value = e.EventId;
            _e[4].Value = e.EventType;
            _e[5].Value = TimeCodec.ToMicros(e.Timestamp);
            _e[6].Value = (object?)e.PlayerKey ?? DBNull.Value;
            _e[7].Value = (object?)e.SessionId ?? DBNull.Value;
            _e[8].Value = (object?)e.EventKey ?? DBNull.Value;
            _e[9].Value = e.DataJson;
            _e[10].Value = (object?)e.DeviceJson ?? DBNull.Value;
            _e[11].Value = (object?)e.ContextJson ?? DBNull.Value;
            _e[12].Value = (object?)e.SchemaVersion ?? DBNull.Value;
            _e[13].Value = e.PrivacyLevel;
            _e[14].Value = receivedAt;
            return _insertEvent.ExecuteNonQuery() == 1;
        }

        public void InsertRejected(RejectedRecord r, long receivedAt, int maxPayload)
        {
            _r[0].Value = r.OrgId;
            _r[1].Value = r.Game;
            _r[2].Value = (object?)r.EventId ?? DBNull.Value;
            _r[3].Value = (object?)r.PlayerKey ?? DBNull.Value;
            _r[4].Value = receivedAt;
            _r[5].Value = r.RawJson.Length > maxPayload ? r.RawJson[..maxPayload] : r.RawJson;
            _r[6].Value = r.ReasonsJson;
            _insertRejected.ExecuteNonQuery();
        }

        public bool InsertPlayer(DirectoryEntry entry, long now)
        {
            _p[0].Value = entry.PlayerKey;
            _p[1].Value = entry.OrgId;
            _p[2].Value = entry.RawPlayerId;
            _p[3].Value = now;
            _insertPlayer.ExecuteNonQuery();
            return true;
        }

        public long TrimRejectedOfGame(string org, string game, int keep)
        {
            _trimRejectedOfGame.Parameters[0].Value = org;
            _trimRejectedOfGame.Parameters[1].Value = game;
            _trimRejectedOfGame.Parameters[2].Value = keep;
            return _trimRejectedOfGame.ExecuteNonQuery();
        }

        public long TrimRejectedOfOrg(string org, int keep)
        {
            _trimRejectedOfOrg.Parameters[0].Value = org;
            _trimRejectedOfOrg.Parameters[1].Value = keep;
            return _trimRejectedOfOrg.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _insertEvent.Dispose();
            _insertRejected.Dispose();
            _insertPlayer.Dispose();
            _trimRejectedOfGame.Dispose();
            _trimRejectedOfOrg.Dispose();
            _upsertJob.Dispose();
        }
    }

    /// <summary>One row of the event columns in their usual order (seq, event_id, … received_at), as every event read selects them.</summary>
    private static StoredEvent ReadStoredEvent(SqliteDataReader reader) => new(
        Seq: reader.GetInt64(0),
        EventId: reader.GetString(1),
        EventType: reader.GetString(2),
        Timestamp: TimeCodec.FromMicros(reader.GetInt64(3)),
        Game: reader.GetString(4),
        Source: reader.GetString(5),
        PlayerKey: NullableString(reader, 6),
        SessionId: NullableString(reader, 7),
        EventKey: NullableString(reader, 8),
        Data: ParseJson(reader.GetString(9)),
        Device: NullableJson(reader, 10),
        Context: NullableJson(reader, 11),
        SchemaVersion: NullableString(reader, 12),
        PrivacyLevel: reader.GetString(13),
        ReceivedAt: TimeCodec.FromMicros(reader.GetInt64(14)));
}
