using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>Audit, erasure, retention, export and rekeying over every table of <see cref="PlayerData"/>, on PostgreSQL.</summary>
internal sealed class PostgresPrivacyStore(PostgresDatabase db, PlayerData playerData) : IPrivacyStore
{
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, "INSERT INTO audit_log (at, actor, action, scope, detail) VALUES ($1, $2, $3, $4, $5);",
                entry.At, entry.Actor, entry.Action, entry.Scope, entry.Detail);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT at, actor, action, scope, detail FROM audit_log ORDER BY id DESC LIMIT $1;", connection);
        command.Parameters.AddWithValue(limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(Utc(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return entries;
    }

    public Task<ErasureCounts> ErasePlayerAsync(string orgId, string playerKey, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            var removed = new Dictionary<string, long>(StringComparer.Ordinal);
            async Task<long> Run(string sql)
            {
                await using var command = Command(connection, tx, sql, playerKey, orgId, DateTimeOffset.UtcNow);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            // The idempotency keys of the player's events go too: an event id may carry an identity.
            await Run("DELETE FROM event_ids i USING events e WHERE e.player_key = $1 AND e.org_id = $2 AND i.org_id = e.org_id AND i.source = e.source AND i.event_id = e.event_id AND $3 IS NOT NULL;");
            // A student's own tokens die with their data.
            removed["api_keys"] = await Run("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3), player_key = NULL WHERE player_key = $1 AND $2 IS NOT NULL;");
            // Roster changes in the audit log name playerKeys: the erased one becomes "erased" there.
            removed["audit_log"] = await Run("UPDATE audit_log SET detail = replace(detail, $1, 'erased') WHERE strpos(detail, $1) > 0 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            // The player's classes recompute their rollups without them (the job has no player: it is not theirs to delete).
            await Rollups.RollupTriggers.EnqueueClassesOfAsync(connection, tx, orgId, null, playerKey, DateTimeOffset.UtcNow, cancellationToken);
            foreach (var table in (string[])["events", "rejected_events", "jobs", "dead_jobs", "group_members"])
            {
                removed[table] = await Run($"DELETE FROM {table} WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;");
            }
            foreach (var table in playerData.ProjectionTables)
            {
                removed[table.Name] = await Run($"DELETE FROM {table.Name} WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;");
            }
            removed["players"] = await Run("DELETE FROM players WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;");
            return new ErasureCounts(removed);
        }, cancellationToken);

    public Task<long> PurgeAsync(PurgeRule rule, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            // Which orgs the rule covers: one, or every org but those with rules of their own.
            const string Orgs = "(($3::text IS NOT NULL AND org_id = $3) OR ($3::text IS NULL AND NOT (org_id = ANY($4))))";
            await using var command = Command(connection, tx, $"DELETE FROM events WHERE privacy_level = $1 AND ts < $2 AND {Orgs};",
                rule.PrivacyLevel, rule.OlderThan, rule.OrgId, rule.ExceptOrgs.ToArray());
            command.Parameters[3].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
            var deleted = (long)await command.ExecuteNonQueryAsync(cancellationToken);
            // Rows a projection keeps with a time of their own go by the same cutoff (rules of every level: the shortest wins).
            foreach (var table in playerData.ProjectionTables.Where(t => t.RetentionColumn is not null))
            {
                await using var purge = Command(connection, tx, $"DELETE FROM {table.Name} WHERE {table.RetentionColumn} < $2 AND {Orgs} AND $1::text IS NOT NULL;",
                    rule.PrivacyLevel, rule.OlderThan, rule.OrgId, rule.ExceptOrgs.ToArray());
                purge.Parameters[3].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
                await purge.ExecuteNonQueryAsync(cancellationToken);
            }
            return deleted;
        }, cancellationToken);

    public async IAsyncEnumerable<PlayerDataRow> ExportPlayerDataAsync(
        string? orgId, IReadOnlyCollection<string>? playerKeys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var table in playerData.ProjectionTables.Where(t => t.Exported))
        {
            // row_to_json keeps the column names and types of whatever the projection's table holds.
            await using var command = Command(connection, null,
                $"SELECT row_to_json(t)::text FROM {table.Name} t WHERE ($1::text IS NULL OR org_id = $1) AND ($2::text[] IS NULL OR player_key = ANY($2)) ORDER BY player_key;",
                orgId, playerKeys?.ToArray());
            command.Parameters[1].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new PlayerDataRow(table.Name, ParseJson(reader.GetString(0)));
            }
        }
    }

    public Task<long> RekeyPlayerAsync(string oldKey, string newKey, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            var now = DateTimeOffset.UtcNow;
            async Task<long> Run(string sql)
            {
                await using var command = Command(connection, tx, sql, oldKey, newKey, now);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            var moved = await Run("UPDATE events SET player_key = $2 WHERE player_key = $1 AND $3 IS NOT NULL;")
                + await Run("UPDATE rejected_events SET player_key = $2, raw = replace(raw, $1, $2) WHERE player_key = $1 AND $3 IS NOT NULL;");
            // Each projection's rows: a recompute of every key the old key had rows or jobs for is queued under the new key
            // (from the merged history); rows move unless their twin exists under the new key, and the rest go.
            var requeue = new List<QueuedJob>();
            foreach (var table in playerData.ProjectionTables.Where(t => t.JobKeyColumn is not null))
            {
                await using var keys = Command(connection, tx, $"SELECT DISTINCT org_id, game, {table.JobKeyColumn} FROM {table.Name} WHERE player_key = $1;", oldKey);
                await using var reader = await keys.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    requeue.Add(new QueuedJob(table.Projection, reader.GetString(0), reader.GetString(1), newKey, reader.GetString(2), null));
                }
            }
            await using (var jobs = Command(connection, tx, "SELECT projection, org_id, game, job_key, trigger_event_id FROM jobs WHERE player_key = $1;", oldKey))
            await using (var reader = await jobs.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    requeue.Add(new QueuedJob(reader.GetString(0), reader.GetString(1), reader.GetString(2), newKey, reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
                }
            }
            await PostgresJobQueue.EnqueueAsync(connection, tx, requeue, now, cancellationToken);
            moved += await Run("DELETE FROM jobs WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            moved += await Run("UPDATE dead_jobs SET player_key = $2 WHERE player_key = $1 AND $3 IS NOT NULL;");
            foreach (var table in playerData.ProjectionTables)
            {
                var twin = table.RowKey.Count == 0
                    ? ""
                    : $" AND NOT EXISTS (SELECT 1 FROM {table.Name} n WHERE n.player_key = $2 AND "
                      + string.Join(" AND ", table.RowKey.Select(c => $"n.{c} = o.{c}")) + ")";
                moved += await Run($"UPDATE {table.Name} o SET player_key = $2 WHERE o.player_key = $1 AND $3 IS NOT NULL{twin};");
                await Run($"DELETE FROM {table.Name} WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            }
            moved += await Run("INSERT INTO group_members (org_id, group_id, player_key, seat) SELECT org_id, group_id, $2, seat FROM group_members WHERE player_key = $1 AND $3 IS NOT NULL ON CONFLICT DO NOTHING;");
            await Run("DELETE FROM group_members WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            await Run("UPDATE api_keys SET player_key = $2 WHERE player_key = $1 AND $3 IS NOT NULL;");
            await Run("UPDATE audit_log SET detail = replace(detail, $1, $2) WHERE strpos(detail, $1) > 0 AND $3 IS NOT NULL;");
            // The directory: the new row keeps what it has and takes the rest from the old one.
            await Run("""
                INSERT INTO players (player_key, org_id, raw_id, first_seen, display_name, consent, under13, parental_consent, name_locked)
                SELECT $2, org_id, raw_id, first_seen, display_name, consent, under13, parental_consent, name_locked FROM players WHERE player_key = $1 AND $3 IS NOT NULL
                ON CONFLICT (player_key) DO UPDATE SET
                    display_name = COALESCE(players.display_name, excluded.display_name),
                    name_locked = players.name_locked OR excluded.name_locked,
                    consent = CASE WHEN players.consent = 'unknown' THEN excluded.consent ELSE players.consent END,
                    under13 = players.under13 OR excluded.under13,
                    parental_consent = players.parental_consent OR excluded.parental_consent,
                    first_seen = LEAST(players.first_seen, excluded.first_seen);
                """);
            moved += await Run("DELETE FROM players WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            return moved;
        }, cancellationToken);
}
