using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Storage.Sqlite;

/// <summary>Audit, erasure, retention, export and rekeying over every table of <see cref="PlayerData"/>, on SQLite.</summary>
internal sealed class SqlitePrivacyStore(SqliteDatabase db, PlayerData playerData) : IPrivacyStore
{
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "INSERT INTO audit_log (at, actor, action, scope, detail) VALUES ($at, $actor, $action, $scope, $detail);",
                ("$at", TimeCodec.ToMicros(entry.At)), ("$actor", entry.Actor), ("$action", entry.Action), ("$scope", entry.Scope), ("$detail", entry.Detail));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
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
        var counts = await db.InWriteTransactionAsync((connection, tx) =>
        {
            var removed = new Dictionary<string, long>(StringComparer.Ordinal);
            long Run(string sql)
            {
                using var command = Command(connection, tx, sql, ("$pk", playerKey), ("$org", orgId), ("$now", TimeCodec.ToMicros(DateTimeOffset.UtcNow)));
                return command.ExecuteNonQuery();
            }
            // A student's own tokens die with their data.
            removed["api_keys"] = Run("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $now), player_key = NULL WHERE player_key = $pk;");
            // Roster changes in the audit log name playerKeys: the erased one becomes "erased" there.
            removed["audit_log"] = Run("UPDATE audit_log SET detail = replace(detail, $pk, 'erased') WHERE instr(detail, $pk) > 0;");
            removed["events"] = Run("DELETE FROM events WHERE player_key = $pk AND org_id = $org;");
            removed["rejected_events"] = Run("DELETE FROM rejected_events WHERE player_key = $pk AND org_id = $org;");
            removed["jobs"] = Run("DELETE FROM jobs WHERE player_key = $pk AND org_id = $org;");
            removed["dead_jobs"] = Run("DELETE FROM dead_jobs WHERE player_key = $pk AND org_id = $org;");
            // The player's classes recompute their rollups without them (the job has no player: it is not theirs to delete).
            Rollups.RollupTriggers.EnqueueClassesOf(connection, tx, orgId, null, playerKey, TimeCodec.ToMicros(DateTimeOffset.UtcNow));
            removed["group_members"] = Run("DELETE FROM group_members WHERE player_key = $pk AND org_id = $org;");
            foreach (var table in playerData.ProjectionTables)
            {
                removed[table.Name] = Run($"DELETE FROM {table.Name} WHERE player_key = $pk AND org_id = $org;");
            }
            removed["players"] = Run("DELETE FROM players WHERE player_key = $pk AND org_id = $org;");
            return new ErasureCounts(removed);
        }, cancellationToken, afterCommit: _ => db.KnownPlayers.Remove(playerKey));
        // secure_delete zeroed the freed pages; a truncating checkpoint also clears the copies in the WAL.
        await db.WithWriterAsync(writer =>
        {
            using var checkpoint = Command(writer, null, "PRAGMA wal_checkpoint(TRUNCATE);");
            return checkpoint.ExecuteNonQuery();
        }, cancellationToken);
        return counts;
    }

    public Task<long> PurgeAsync(PurgeRule rule, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            // Which orgs the rule covers: one, or every org but those with rules of their own.
            const string Orgs = "(($org IS NOT NULL AND org_id = $org) OR ($org IS NULL AND org_id NOT IN (SELECT value FROM json_each($except))))";
            (string, object?)[] parameters = [("$level", rule.PrivacyLevel), ("$cutoff", TimeCodec.ToMicros(rule.OlderThan)), ("$org", rule.OrgId),
                ("$except", JsonSerializer.Serialize(rule.ExceptOrgs))];
            using var command = Command(connection, tx, $"DELETE FROM events WHERE privacy_level = $level AND ts < $cutoff AND {Orgs};", parameters);
            var deleted = (long)command.ExecuteNonQuery();
            // Rows a projection keeps with a time of their own go by the same cutoff (rules of every level: the shortest wins).
            foreach (var table in playerData.ProjectionTables.Where(t => t.RetentionColumn is not null))
            {
                using var purge = Command(connection, tx, $"DELETE FROM {table.Name} WHERE {table.RetentionColumn} < $cutoff AND {Orgs};", parameters);
                purge.ExecuteNonQuery();
            }
            return deleted;
        }, cancellationToken);

    public async IAsyncEnumerable<PlayerDataRow> ExportPlayerDataAsync(
        string? orgId, IReadOnlyCollection<string>? playerKeys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var keys = playerKeys is null ? null : JsonSerializer.Serialize(playerKeys);
        foreach (var table in playerData.ProjectionTables.Where(t => t.Exported))
        {
            using var command = Command(connection, null,
                $"SELECT * FROM {table.Name} WHERE ($org IS NULL OR org_id = $org) AND ($keys IS NULL OR player_key IN (SELECT value FROM json_each($keys))) ORDER BY rowid;",
                ("$org", orgId), ("$keys", keys));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }
                yield return new PlayerDataRow(table.Name, JsonSerializer.SerializeToElement(row));
            }
        }
    }

    public Task<long> RekeyPlayerAsync(string oldKey, string newKey, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            var now = TimeCodec.ToMicros(DateTimeOffset.UtcNow);
            long Run(string sql)
            {
                using var command = Command(connection, tx, sql, ("$old", oldKey), ("$new", newKey), ("$now", now));
                return command.ExecuteNonQuery();
            }
            var moved = Run("UPDATE events SET player_key = $new WHERE player_key = $old;")
                + Run("UPDATE rejected_events SET player_key = $new, raw = replace(raw, $old, $new) WHERE player_key = $old;");
            // Each projection's rows: a recompute of every key the old key had rows or jobs for is queued under the new key
            // (from the merged history); rows move unless their twin exists under the new key, and the rest go.
            var requeue = new List<QueuedJob>();
            foreach (var table in playerData.ProjectionTables.Where(t => t.JobKeyColumn is not null))
            {
                using var keys = Command(connection, tx, $"SELECT DISTINCT org_id, game, {table.JobKeyColumn} FROM {table.Name} WHERE player_key = $old;", ("$old", oldKey));
                using var reader = keys.ExecuteReader();
                while (reader.Read())
                {
                    requeue.Add(new QueuedJob(table.Projection, reader.GetString(0), reader.GetString(1), newKey, reader.GetString(2), null));
                }
            }
            using (var jobs = Command(connection, tx, "SELECT projection, org_id, game, job_key, trigger_event_id FROM jobs WHERE player_key = $old;", ("$old", oldKey)))
            using (var reader = jobs.ExecuteReader())
            {
                while (reader.Read())
                {
                    requeue.Add(new QueuedJob(reader.GetString(0), reader.GetString(1), reader.GetString(2), newKey, reader.GetString(3), NullableString(reader, 4)));
                }
            }
            SqliteJobQueue.Enqueue(connection, tx, requeue.DistinctBy(j => (j.Projection, j.OrgId, j.Game, j.Key)), now);
            moved += Run("DELETE FROM jobs WHERE player_key = $old;");
            moved += Run("UPDATE dead_jobs SET player_key = $new WHERE player_key = $old;");
            foreach (var table in playerData.ProjectionTables)
            {
                var twin = table.RowKey.Count == 0
                    ? ""
                    : $" AND NOT EXISTS (SELECT 1 FROM {table.Name} n WHERE n.player_key = $new AND "
                      + string.Join(" AND ", table.RowKey.Select(c => $"n.{c} = {table.Name}.{c}")) + ")";
                moved += Run($"UPDATE {table.Name} SET player_key = $new WHERE player_key = $old{twin};");
                Run($"DELETE FROM {table.Name} WHERE player_key = $old;");
            }
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
