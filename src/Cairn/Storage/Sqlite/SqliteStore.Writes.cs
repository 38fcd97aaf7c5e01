using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    private const int TrimEveryWrites = 100;

    /// <summary>The (org, game) pairs whose quarantine grew since the last trim in the write path.</summary>
    private readonly HashSet<(string OrgId, string Game)> _rejectedSinceTrim = [];

    /// <summary>
    /// Tuning of the writer connection (durability is the synchronous pragma's alone). Every batch touches the
    /// (player_key, ts) index at random places: a 64 MiB page cache keeps it in memory instead of the default 2 MiB,
    /// and checkpointing every 10,000 WAL pages instead of 1,000 copies a page that many commits changed back into
    /// the file once rather than after nearly every commit. The WAL file may grow to about 40 MiB.
    /// </summary>
    internal const string WriterTuning = "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;";

    public async Task<IReadOnlyList<bool[]>> WriteAsync(IReadOnlyList<WriteBatch> batches, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return Write(batches);
        }
        catch (SqliteException ex)
        {
            throw WriterFailed(ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The writer connection may be in an unknown state after an error: drop it so the next write starts clean.</summary>
    private StoreUnavailableException WriterFailed(SqliteException ex)
    {
        _commands?.Dispose();
        _commands = null;
        _writer?.Dispose();
        _writer = null;
        return new StoreUnavailableException($"SQLite write failed: {ex.Message}", ex);
    }

    private bool[][] Write(IReadOnlyList<WriteBatch> batches)
    {
        var commands = WriterCommands();
        var receivedAt = TimeCodec.ToMicros(DateTimeOffset.UtcNow);
        var results = new bool[batches.Count][];
        var newPlayers = new List<string>();
        using var tx = _writer!.BeginTransaction();
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
                if (inserted[i] && e.Points is { Count: > 0 } points && e.PlayerKey is { } playerKey)
                {
                    foreach (var point in points)
                    {
                        commands.UpsertJob(e.OrgId, e.Game, playerKey, point, e.EventId, receivedAt);
                    }
                }
            }
            results[b] = inserted;
            foreach (var rejected in batch.Rejected)
            {
                commands.InsertRejected(rejected, receivedAt, _options.MaxRejectedPayloadBytes);
                _rejectedSinceTrim.Add((rejected.OrgId, rejected.Game));
            }
            foreach (var entry in batch.Directory)
            {
                if (!_knownPlayers.Contains(entry.PlayerKey) && commands.InsertPlayer(entry, receivedAt))
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
                commands.TrimRejectedOfGame(org, game, _options.MaxRejectedEvents);
            }
            foreach (var org in _rejectedSinceTrim.Select(g => g.OrgId).Distinct(StringComparer.Ordinal))
            {
                commands.TrimRejectedOfOrg(org, _options.MaxRejectedEventsPerOrg);
            }
            _rejectedSinceTrim.Clear();
        }
        tx.Commit();
        // Remember players only once their row is durable, so a rolled-back write cannot hide one.
        if (_knownPlayers.Count > 1_000_000)
        {
            _knownPlayers.Clear();
        }
        _knownPlayers.UnionWith(newPlayers);
        return results;
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
        InWriteTransactionAsync((connection, tx) =>
        {
            var commands = _commands!;
            commands.Enlist(tx);
            long deleted;
            using (var old = Command(connection, tx, "DELETE FROM rejected_events WHERE received_at < $cutoff;", ("$cutoff", TimeCodec.ToMicros(receivedBefore))))
            {
                deleted = old.ExecuteNonQuery();
            }
            foreach (var (org, game) in OverCap(connection, tx, "SELECT org_id, game FROM rejected_events GROUP BY org_id, game HAVING COUNT(*) > $cap;", _options.MaxRejectedEvents))
            {
                deleted += commands.TrimRejectedOfGame(org, game!, _options.MaxRejectedEvents);
            }
            foreach (var (org, _) in OverCap(connection, tx, "SELECT org_id, NULL FROM rejected_events GROUP BY org_id HAVING COUNT(*) > $cap;", _options.MaxRejectedEventsPerOrg))
            {
                deleted += commands.TrimRejectedOfOrg(org, _options.MaxRejectedEventsPerOrg);
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

    private WriteCommands WriterCommands()
    {
        if (_commands is not null)
        {
            return _commands;
        }
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        using (var pragma = _writer.CreateCommand())
        {
            // secure_delete: an erased player's bytes are overwritten, not left in free pages.
            pragma.CommandText = $"PRAGMA synchronous={SynchronousMode()}; PRAGMA busy_timeout=30000; PRAGMA secure_delete=ON; {WriterTuning}";
            pragma.ExecuteNonQuery();
        }
        _commands = new WriteCommands(_writer);
        return _commands;
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
            // A job already queued for the same (player, point) absorbs the new trigger: its version moves on,
            // so a worker running it right now will run it once more instead of deleting it.
            (_upsertJob, _j) = Prepare(connection, """
                INSERT INTO jobs (org_id, game, player_key, point_id, trigger_event_id, run_after, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $6)
                ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET
                    version = version + 1,
                    trigger_event_id = excluded.trigger_event_id,
                    run_after = MIN(run_after, excluded.run_after);
                """, 6);
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

        public void UpsertJob(string org, string game, string playerKey, string pointId, string triggerEventId, long now)
        {
            _j[0].Value = org;
            _j[1].Value = game;
            _j[2].Value = playerKey;
            _j[3].Value = pointId;
            _j[4].Value = triggerEventId;
            _j[5].Value = now;
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
}
