using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task<IReadOnlyList<GroupRecord>> GetGroupsOfPlayerAsync(string playerKey, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.player_key = $p AND m.org_id = g.org_id AND m.group_id = g.id)",
            cancellationToken, ("$p", playerKey));

    public async Task<PlayerInfo?> GetPlayerAsync(string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT player_key, org_id, raw_id, display_name, consent, under13, parental_consent FROM players WHERE player_key = $pk;";
        command.Parameters.AddWithValue("$pk", playerKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadPlayer(reader) : null;
    }

    private static PlayerInfo ReadPlayer(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3), reader.GetString(4),
        reader.GetInt64(5) != 0, reader.GetInt64(6) != 0);

    public Task SetConsentAsync(ConsentRecord consent, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
        {
            // COPPA: a child under 13 without parental consent keeps no name in the directory.
            using var command = Command(connection, tx, """
                INSERT INTO players (player_key, org_id, raw_id, first_seen, consent, under13, parental_consent)
                VALUES ($pk, $org, $raw, $now, $consent, $u13, $parental)
                ON CONFLICT (player_key) DO UPDATE SET consent = excluded.consent, under13 = excluded.under13,
                    parental_consent = excluded.parental_consent;
                UPDATE players SET display_name = NULL WHERE player_key = $pk AND under13 = 1 AND parental_consent = 0;
                """, ("$pk", consent.PlayerKey), ("$org", consent.OrgId), ("$raw", consent.RawPlayerId), ("$now", TimeCodec.ToMicros(DateTimeOffset.UtcNow)),
                ("$consent", consent.Consent), ("$u13", consent.Under13 ? 1 : 0), ("$parental", consent.ParentalConsent ? 1 : 0));
            command.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<PlayerInfo>> ListOptedOutAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT player_key, org_id, raw_id, display_name, consent, under13, parental_consent FROM players WHERE consent = 'opted-out';";
        var players = new List<PlayerInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            players.Add(ReadPlayer(reader));
        }
        return players;
    }

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "INSERT INTO audit_log (at, actor, action, scope, detail) VALUES ($at, $actor, $action, $scope, $detail);",
                ("$at", TimeCodec.ToMicros(entry.At)), ("$actor", entry.Actor), ("$action", entry.Action), ("$scope", entry.Scope), ("$detail", entry.Detail));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, actor, action, scope, detail FROM audit_log ORDER BY id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(TimeCodec.FromMicros(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return entries;
    }

    public async Task<ErasureCounts> ErasePlayerAsync(string orgId, string playerKey, CancellationToken cancellationToken)
    {
        var counts = await InWriteTransactionAsync((connection, tx) =>
        {
            long Delete(string sql)
            {
                using var command = Command(connection, tx, sql, ("$pk", playerKey), ("$org", orgId), ("$now", TimeCodec.ToMicros(DateTimeOffset.UtcNow)));
                return command.ExecuteNonQuery();
            }
            // A student's own tokens die with their data.
            Delete("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $now), player_key = NULL WHERE player_key = $pk;");
            // Roster changes in the audit log name playerKeys: the erased one becomes "erased" there.
            Delete("UPDATE audit_log SET detail = replace(detail, $pk, 'erased') WHERE instr(detail, $pk) > 0;");
            return new ErasureCounts(
                Events: Delete("DELETE FROM events WHERE player_key = $pk AND org_id = $org;"),
                Rejected: Delete("DELETE FROM rejected_events WHERE player_key = $pk AND org_id = $org;"),
                Jobs: Delete("DELETE FROM jobs WHERE player_key = $pk AND org_id = $org;") + Delete("DELETE FROM dead_jobs WHERE player_key = $pk AND org_id = $org;"),
                Progress: Delete("DELETE FROM progress_points WHERE player_key = $pk AND org_id = $org;"),
                Changes: Delete("DELETE FROM progress_changes WHERE player_key = $pk AND org_id = $org;"),
                Memberships: Delete("DELETE FROM group_members WHERE player_key = $pk;"),
                Directory: Delete("DELETE FROM players WHERE player_key = $pk AND org_id = $org;"));
        }, cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _knownPlayers.Remove(playerKey);
            // secure_delete zeroed the freed pages; a truncating checkpoint also clears the copies in the WAL.
            using var checkpoint = _writer!.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        finally
        {
            _writeLock.Release();
        }
        return counts;
    }

    public Task<long> PurgeAsync(PurgeRule rule, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, """
                DELETE FROM events WHERE privacy_level = $level AND ts < $cutoff
                  AND (($org IS NOT NULL AND org_id = $org) OR ($org IS NULL AND org_id NOT IN (SELECT value FROM json_each($except))));
                """, ("$level", rule.PrivacyLevel), ("$cutoff", TimeCodec.ToMicros(rule.OlderThan)), ("$org", rule.OrgId),
                ("$except", JsonSerializer.Serialize(rule.ExceptOrgs)));
            return (long)command.ExecuteNonQuery();
        }, cancellationToken);

    public async IAsyncEnumerable<StoredEvent> ExportEventsAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
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
            yield return new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), TimeCodec.FromMicros(reader.GetInt64(3)),
                reader.GetString(4), reader.GetString(5), NullableString(reader, 6), NullableString(reader, 7), NullableString(reader, 8),
                ParseJson(reader.GetString(9)), NullableJson(reader, 10), NullableJson(reader, 11), NullableString(reader, 12),
                reader.GetString(13), TimeCodec.FromMicros(reader.GetInt64(14)));
        }
    }

    public async IAsyncEnumerable<ProgressRow> ExportProgressAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT org_id, game, player_key, point_id, status, score, duration_seconds, count, completed_at, score_version, trigger_event_id, updated_at
            FROM progress_points
            WHERE ($org IS NULL OR org_id = $org) AND ($game IS NULL OR game = $game)
              AND ($since IS NULL OR completed_at >= $since) AND ($until IS NULL OR completed_at < $until)
              AND ($keys IS NULL OR player_key IN (SELECT value FROM json_each($keys)))
            ORDER BY game, player_key, point_id;
            """;
        AddExportFilter(command, filter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadProgressRow(reader);
        }
    }

    private static void AddExportFilter(SqliteCommand command, ExportFilter filter)
    {
        command.Parameters.AddWithValue("$org", (object?)filter.OrgId ?? DBNull.Value);
        command.Parameters.AddWithValue("$game", (object?)filter.Game ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", filter.Since is { } since ? TimeCodec.ToMicros(since) : DBNull.Value);
        command.Parameters.AddWithValue("$until", filter.Until is { } until ? TimeCodec.ToMicros(until) : DBNull.Value);
        command.Parameters.AddWithValue("$keys", filter.PlayerKeys is { } keys ? JsonSerializer.Serialize(keys) : DBNull.Value);
    }

    public async Task<IReadOnlyList<PlayerInfo>> ListPlayersNotKeyedWithAsync(string currentPrefix, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT player_key, org_id, raw_id, display_name, consent, under13, parental_consent FROM players
            WHERE substr(player_key, 1, length($prefix)) <> $prefix ORDER BY player_key LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$prefix", currentPrefix);
        command.Parameters.AddWithValue("$limit", limit);
        var players = new List<PlayerInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            players.Add(ReadPlayer(reader));
        }
        return players;
    }

    public Task<long> RekeyPlayerAsync(string oldKey, string newKey, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
        {
            long Run(string sql)
            {
                using var command = Command(connection, tx, sql, ("$old", oldKey), ("$new", newKey), ("$now", TimeCodec.ToMicros(DateTimeOffset.UtcNow)));
                return command.ExecuteNonQuery();
            }
            var moved = Run("UPDATE events SET player_key = $new WHERE player_key = $old;")
                + Run("UPDATE rejected_events SET player_key = $new, raw = replace(raw, $old, $new) WHERE player_key = $old;")
                + Run("UPDATE progress_changes SET player_key = $new WHERE player_key = $old;");
            // Rows that exist under both keys: the old one goes, and the new one is recomputed from the merged history.
            Run("""
                INSERT INTO jobs (org_id, game, player_key, point_id, trigger_event_id, run_after, created_at)
                SELECT org_id, game, $new, point_id, trigger_event_id, $now, $now FROM progress_points WHERE player_key = $old
                UNION SELECT org_id, game, $new, point_id, trigger_event_id, $now, $now FROM jobs WHERE player_key = $old
                ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET version = version + 1;
                """);
            moved += Run("DELETE FROM jobs WHERE player_key = $old;");
            moved += Run("""
                UPDATE progress_points SET player_key = $new WHERE player_key = $old
                  AND NOT EXISTS (SELECT 1 FROM progress_points n WHERE n.player_key = $new AND n.org_id = progress_points.org_id
                                  AND n.game = progress_points.game AND n.point_id = progress_points.point_id);
                """);
            Run("DELETE FROM progress_points WHERE player_key = $old;");
            moved += Run("INSERT OR IGNORE INTO group_members (org_id, group_id, player_key, seat) SELECT org_id, group_id, $new, seat FROM group_members WHERE player_key = $old;");
            Run("DELETE FROM group_members WHERE player_key = $old;");
            Run("UPDATE api_keys SET player_key = $new WHERE player_key = $old;");
            Run("UPDATE audit_log SET detail = replace(detail, $old, $new) WHERE instr(detail, $old) > 0;");
            // The directory: the new row keeps what it has and takes the rest from the old one.
            Run("""
                INSERT INTO players (player_key, org_id, raw_id, first_seen, display_name, consent, under13, parental_consent, name_locked)
                SELECT $new, org_id, raw_id, first_seen, display_name, consent, under13, parental_consent, name_locked FROM players WHERE player_key = $old
                ON CONFLICT (player_key) DO UPDATE SET
                    display_name = COALESCE(players.display_name, excluded.display_name),
                    name_locked = MAX(players.name_locked, excluded.name_locked),
                    consent = CASE WHEN players.consent = 'unknown' THEN excluded.consent ELSE players.consent END,
                    under13 = MAX(players.under13, excluded.under13),
                    parental_consent = MAX(players.parental_consent, excluded.parental_consent),
                    first_seen = MIN(players.first_seen, excluded.first_seen);
                """);
            moved += Run("DELETE FROM players WHERE player_key = $old;");
            return moved;
        }, cancellationToken);
}
