using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>Groups, teachers and rosters on PostgreSQL.</summary>
internal sealed class PostgresGroupStore(PostgresDatabase db) : IGroupStore
{
    public Task<bool> UpsertGroupAsync(GroupRecord group, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using (var existing = Command(connection, tx, "SELECT game FROM groups WHERE org_id = $1 AND id = $2 FOR UPDATE;", group.OrgId, group.Id))
            await using (var reader = await existing.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken) && reader.GetString(0) != group.Game)
                {
                    return false;
                }
            }
            await using (var upsert = Command(connection, tx, """
                INSERT INTO groups (org_id, id, name, game, created_at) VALUES ($1, $2, $3, $4, now())
                ON CONFLICT (org_id, id) DO UPDATE SET name = excluded.name;
                """, group.OrgId, group.Id, group.Name, group.Game))
            {
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var clear = Command(connection, tx, "DELETE FROM group_teachers WHERE org_id = $1 AND group_id = $2;", group.OrgId, group.Id))
            {
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var add = Command(connection, tx,
                "INSERT INTO group_teachers (org_id, group_id, teacher_id) SELECT $1, $2, t FROM unnest($3::text[]) AS t ON CONFLICT DO NOTHING;",
                group.OrgId, group.Id, group.Teachers.Distinct(StringComparer.Ordinal).ToArray());
            await add.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public async Task<GroupRecord?> GetGroupAsync(string orgId, string groupId, CancellationToken cancellationToken) =>
        (await ReadGroupsAsync("WHERE g.org_id = $1 AND g.id = $2", cancellationToken, orgId, groupId)).FirstOrDefault();

    public Task<IReadOnlyList<GroupRecord>> FindGroupsAsync(string groupId, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE g.id = $1", cancellationToken, groupId);

    public Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(string? orgId, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE $1::text IS NULL OR g.org_id = $1", cancellationToken, orgId);

    private async Task<IReadOnlyList<GroupRecord>> ReadGroupsAsync(string where, CancellationToken cancellationToken, params string?[] parameters)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT g.id, g.org_id, g.name, g.game, t.teacher_id FROM groups g
            LEFT JOIN group_teachers t ON t.org_id = g.org_id AND t.group_id = g.id
            {where} ORDER BY g.name COLLATE "C", g.id COLLATE "C", g.org_id COLLATE "C", t.teacher_id COLLATE "C";
            """, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)parameter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await GroupRows.ReadAsync(reader, cancellationToken);
    }

    public Task<RosterChange> ReplaceMembersAsync(
        string groupId, string orgId, IReadOnlyList<DirectoryEntry> members, IReadOnlyList<string?> displayNames, bool lockNames,
        CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            var keys = members.Select(m => m.PlayerKey).ToArray();
            var removed = new List<string>();
            await using (var delete = Command(connection, tx,
                "DELETE FROM group_members WHERE org_id = $1 AND group_id = $2 AND NOT (player_key = ANY($3::text[])) RETURNING player_key;", orgId, groupId, keys))
            await using (var reader = await delete.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    removed.Add(reader.GetString(0));
                }
            }
            removed.Sort(StringComparer.Ordinal);
            // The class's rollup follows its roster.
            await Rollups.RollupTriggers.EnqueueClassAsync(connection, tx, orgId, groupId, DateTimeOffset.UtcNow, cancellationToken);
            if (members.Count == 0)
            {
                return new RosterChange([], removed);
            }
            await using (var directory = Command(connection, tx, """
                INSERT INTO players (player_key, org_id, raw_id, first_seen, display_name, name_locked)
                SELECT k, $1, r, now(), n, $5 AND n IS NOT NULL FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, r, n)
                ON CONFLICT (player_key) DO UPDATE SET
                    display_name = CASE WHEN players.under13 AND NOT players.parental_consent THEN NULL
                        WHEN excluded.display_name IS NULL OR (players.name_locked AND NOT $5) THEN players.display_name
                        ELSE excluded.display_name END,
                    name_locked = players.name_locked OR excluded.name_locked;
                """, orgId, keys, members.Select(m => m.RawPlayerId).ToArray(), displayNames.ToArray(), lockNames))
            {
                directory.Parameters[3].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
                await directory.ExecuteNonQueryAsync(cancellationToken);
            }
            // Newcomers take the next seats, in roster order; members who stay keep theirs.
            var added = new List<string>();
            await using (var add = Command(connection, tx, """
                INSERT INTO group_members (org_id, group_id, player_key, seat)
                SELECT $1, $2, k, (SELECT COALESCE(MAX(seat), 0) FROM group_members WHERE org_id = $1 AND group_id = $2)
                                  + row_number() OVER (ORDER BY i)
                FROM unnest($3::text[]) WITH ORDINALITY AS t(k, i)
                WHERE NOT EXISTS (SELECT 1 FROM group_members m WHERE m.org_id = $1 AND m.group_id = $2 AND m.player_key = t.k)
                RETURNING player_key, seat;
                """, orgId, groupId, keys))
            await using (var reader = await add.ExecuteReaderAsync(cancellationToken))
            {
                var seats = new List<(string Key, int Seat)>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    seats.Add((reader.GetString(0), reader.GetInt32(1)));
                }
                added.AddRange(seats.OrderBy(s => s.Seat).Select(s => s.Key));
            }
            return new RosterChange(added, removed);
        }, cancellationToken);

    public async Task<IReadOnlyList<GroupMember>> GetMembersAsync(string orgId, string groupId, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT m.player_key, p.raw_id, p.display_name, m.seat, p.under13 AND NOT p.parental_consent FROM group_members m
            JOIN players p ON p.player_key = m.player_key
            WHERE m.org_id = $1 AND m.group_id = $2 ORDER BY COALESCE(p.display_name, p.raw_id) COLLATE "C", m.player_key COLLATE "C";
            """, connection);
        command.Parameters.AddWithValue(orgId);
        command.Parameters.AddWithValue(groupId);
        var members = new List<GroupMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new GroupMember(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3), reader.GetBoolean(4)));
        }
        return members;
    }

    public Task<IReadOnlyList<GroupRecord>> GetGroupsOfPlayerAsync(string playerKey, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.player_key = $1 AND m.org_id = g.org_id AND m.group_id = g.id)",
            cancellationToken, playerKey);

    public Task<IReadOnlyList<string>> JoinClassesAsync(
        string orgId, string game, IReadOnlyList<(string GroupId, string PlayerKey)> members, bool createMissing, CancellationToken cancellationToken) =>
        db.InTransactionAsync<IReadOnlyList<string>>(async (connection, tx) =>
        {
            var missing = new List<string>();
            // Classes in a fixed order, so two batches naming the same classes take their locks in the same order.
            foreach (var byGroup in members.GroupBy(m => m.GroupId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                // Two batches adding students to one class at once would read the same highest seat: one at a time per class.
                await using (var lockClass = Command(connection, tx,
                    "SELECT pg_advisory_xact_lock(hashtextextended('group_members:' || $1 || ':' || $2, 0));", orgId, byGroup.Key))
                {
                    await lockClass.ExecuteNonQueryAsync(cancellationToken);
                }
                if (createMissing)
                {
                    await using var create = Command(connection, tx,
                        "INSERT INTO groups (org_id, id, name, game, created_at) VALUES ($1, $2, $2, $3, now()) ON CONFLICT (org_id, id) DO NOTHING;",
                        orgId, byGroup.Key, game);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
                else
                {
                    await using var exists = Command(connection, tx, "SELECT 1 FROM groups WHERE org_id = $1 AND id = $2;", orgId, byGroup.Key);
                    if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                    {
                        missing.Add(byGroup.Key);
                        continue;
                    }
                }
                await using var join = Command(connection, tx, """
                    INSERT INTO group_members (org_id, group_id, player_key, seat)
                    SELECT $1, $2, k, (SELECT COALESCE(MAX(seat), 0) FROM group_members WHERE org_id = $1 AND group_id = $2) + row_number() OVER (ORDER BY i)
                    FROM unnest($3::text[]) WITH ORDINALITY AS t(k, i)
                    WHERE NOT EXISTS (SELECT 1 FROM group_members m WHERE m.org_id = $1 AND m.group_id = $2 AND m.player_key = t.k)
                    ON CONFLICT (org_id, group_id, player_key) DO NOTHING;
                    """, orgId, byGroup.Key, byGroup.Select(m => m.PlayerKey).Distinct(StringComparer.Ordinal).ToArray());
                await join.ExecuteNonQueryAsync(cancellationToken);
            }
            return missing;
        }, cancellationToken);
}
