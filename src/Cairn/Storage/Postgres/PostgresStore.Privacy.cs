using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task<IReadOnlyList<GroupRecord>> GetGroupsOfPlayerAsync(string playerKey, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.player_key = $1 AND m.org_id = g.org_id AND m.group_id = g.id)",
            cancellationToken, playerKey);

    private const string PlayerColumns = "player_key, org_id, raw_id, display_name, consent, under13, parental_consent";

    public async Task<PlayerInfo?> GetPlayerAsync(string playerKey, CancellationToken cancellationToken) =>
        (await ReadPlayersAsync($"SELECT {PlayerColumns} FROM players WHERE player_key = $1;", playerKey, null, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<PlayerInfo>> ListPlayersNotKeyedWithAsync(string currentPrefix, int limit, CancellationToken cancellationToken) =>
        ReadPlayersAsync($"SELECT {PlayerColumns} FROM players WHERE left(player_key, length($1)) <> $1 ORDER BY player_key LIMIT $2;",
            currentPrefix, limit, cancellationToken);

    private async Task<IReadOnlyList<PlayerInfo>> ReadPlayersAsync(string sql, string first, int? second, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(first);
        if (second is { } value)
        {
            command.Parameters.AddWithValue(value);
        }
        var players = new List<PlayerInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            players.Add(new PlayerInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6)));
        }
        return players;
    }

    public Task SetConsentAsync(ConsentRecord consent, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            // COPPA: a child under 13 without parental consent keeps no name in the directory.
            await using var command = Command(connection, tx, """
                INSERT INTO players (player_key, org_id, raw_id, first_seen, consent, under13, parental_consent)
                VALUES ($1, $2, $3, now(), $4, $5, $6)
                ON CONFLICT (player_key) DO UPDATE SET consent = excluded.consent, under13 = excluded.under13,
                    parental_consent = excluded.parental_consent,
                    display_name = CASE WHEN excluded.under13 AND NOT excluded.parental_consent THEN NULL ELSE players.display_name END;
                """, consent.PlayerKey, consent.OrgId, consent.RawPlayerId, consent.Consent, consent.Under13, consent.ParentalConsent);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<PlayerInfo>> ListOptedOutAsync(CancellationToken cancellationToken) =>
        ReadPlayersAsync($"SELECT {PlayerColumns} FROM players WHERE consent = $1;", "opted-out", null, cancellationToken);

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, "INSERT INTO audit_log (at, actor, action, scope, detail) VALUES ($1, $2, $3, $4, $5);",
                entry.At, entry.Actor, entry.Action, entry.Scope, entry.Detail);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
        InTransactionAsync(async (connection, tx) =>
        {
            async Task<long> Run(string sql)
            {
                await using var command = Command(connection, tx, sql, playerKey, orgId, DateTimeOffset.UtcNow);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            // The idempotency keys of the player's events go too: an event id may carry an identity.
            await Run("DELETE FROM event_ids i USING events e WHERE e.player_key = $1 AND e.org_id = $2 AND i.org_id = e.org_id AND i.source = e.source AND i.event_id = e.event_id AND $3 IS NOT NULL;");
            await Run("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3), player_key = NULL WHERE player_key = $1 AND $2 IS NOT NULL;");
            // Roster changes in the audit log name playerKeys: the erased one becomes "erased" there.
            await Run("UPDATE audit_log SET detail = replace(detail, $1, 'erased') WHERE strpos(detail, $1) > 0 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            return new ErasureCounts(
                Events: await Run("DELETE FROM events WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;"),
                Rejected: await Run("DELETE FROM rejected_events WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;"),
                Jobs: await Run("DELETE FROM jobs WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;")
                    + await Run("DELETE FROM dead_jobs WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;"),
                Progress: await Run("DELETE FROM progress_points WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;"),
                Changes: await Run("DELETE FROM progress_changes WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;"),
                Memberships: await Run("DELETE FROM group_members WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;"),
                Directory: await Run("DELETE FROM players WHERE player_key = $1 AND org_id = $2 AND $3 IS NOT NULL;"));
        }, cancellationToken);

    public Task<long> PurgeAsync(PurgeRule rule, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, """
                DELETE FROM events WHERE privacy_level = $1 AND ts < $2
                  AND (($3::text IS NOT NULL AND org_id = $3) OR ($3::text IS NULL AND NOT (org_id = ANY($4))));
                """, rule.PrivacyLevel, rule.OlderThan, rule.OrgId, rule.ExceptOrgs.ToArray());
            command.Parameters[3].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
            return (long)await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async IAsyncEnumerable<StoredEvent> ExportEventsAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
            yield return new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Utc(reader.GetDateTime(3)),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), ParseJson(reader.GetString(9)),
                reader.IsDBNull(10) ? null : ParseJson(reader.GetString(10)), reader.IsDBNull(11) ? null : ParseJson(reader.GetString(11)),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetString(13), Utc(reader.GetDateTime(14)));
        }
    }

    public async IAsyncEnumerable<ProgressRow> ExportProgressAsync(ExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {ProgressColumns} FROM progress_points p
            WHERE ($1::text IS NULL OR p.org_id = $1) AND ($2::text IS NULL OR p.game = $2)
              AND ($3::timestamptz IS NULL OR p.completed_at >= $3) AND ($4::timestamptz IS NULL OR p.completed_at < $4)
              AND ($5::text[] IS NULL OR p.player_key = ANY($5))
            ORDER BY p.game, p.player_key COLLATE "C", p.point_id COLLATE "C";
            """, connection);
        AddExportFilter(command, filter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadProgressRow(reader);
        }
    }

    private static void AddExportFilter(NpgsqlCommand command, ExportFilter filter)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.OrgId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Game ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.Since is { } s ? s.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.Until is { } u ? u.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = filter.PlayerKeys is { } k ? k.ToArray() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }

    public Task<long> RekeyPlayerAsync(string oldKey, string newKey, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            async Task<long> Run(string sql)
            {
                await using var command = Command(connection, tx, sql, oldKey, newKey, DateTimeOffset.UtcNow);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            var moved = await Run("UPDATE events SET player_key = $2 WHERE player_key = $1 AND $3 IS NOT NULL;")
                + await Run("UPDATE rejected_events SET player_key = $2, raw = replace(raw, $1, $2) WHERE player_key = $1 AND $3 IS NOT NULL;")
                + await Run("UPDATE progress_changes SET player_key = $2 WHERE player_key = $1 AND $3 IS NOT NULL;");
            // Rows that exist under both keys: the old one goes, and the new one is recomputed from the merged history.
            await Run("""
                INSERT INTO jobs (org_id, game, player_key, point_id, trigger_event_id, run_after, created_at)
                SELECT DISTINCT ON (org_id, game, point_id) org_id, game, $2, point_id, trigger_event_id, $3::timestamptz, $3::timestamptz FROM (
                    SELECT org_id, game, point_id, trigger_event_id FROM progress_points WHERE player_key = $1
                    UNION ALL SELECT org_id, game, point_id, trigger_event_id FROM jobs WHERE player_key = $1) s
                ON CONFLICT (org_id, game, player_key, point_id) DO UPDATE SET version = jobs.version + 1;
                """);
            moved += await Run("DELETE FROM jobs WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            moved += await Run("""
                UPDATE progress_points o SET player_key = $2 WHERE o.player_key = $1 AND $3 IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM progress_points n WHERE n.player_key = $2 AND n.org_id = o.org_id AND n.game = o.game AND n.point_id = o.point_id);
                """);
            await Run("DELETE FROM progress_points WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            moved += await Run("INSERT INTO group_members (org_id, group_id, player_key, seat) SELECT org_id, group_id, $2, seat FROM group_members WHERE player_key = $1 AND $3 IS NOT NULL ON CONFLICT DO NOTHING;");
            await Run("DELETE FROM group_members WHERE player_key = $1 AND $2 IS NOT NULL AND $3 IS NOT NULL;");
            await Run("UPDATE api_keys SET player_key = $2 WHERE player_key = $1 AND $3 IS NOT NULL;");
            await Run("UPDATE audit_log SET detail = replace(detail, $1, $2) WHERE strpos(detail, $1) > 0 AND $3 IS NOT NULL;");
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
