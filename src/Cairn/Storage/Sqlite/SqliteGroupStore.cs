using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Storage.Sqlite;

/// <summary>Groups, teachers and rosters on SQLite.</summary>
internal sealed class SqliteGroupStore(SqliteDatabase db) : IGroupStore
{
    public Task<bool> UpsertGroupAsync(GroupRecord group, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using (var existing = Command(connection, tx, "SELECT game FROM groups WHERE org_id = $org AND id = $id;", ("$org", group.OrgId), ("$id", group.Id)))
            using (var reader = existing.ExecuteReader())
            {
                if (reader.Read() && reader.GetString(0) != group.Game)
                {
                    return false;
                }
            }
            using (var upsert = Command(connection, tx, """
                INSERT INTO groups (org_id, id, name, game, created_at) VALUES ($org, $id, $name, $game, $now)
                ON CONFLICT (org_id, id) DO UPDATE SET name = excluded.name;
                DELETE FROM group_teachers WHERE org_id = $org AND group_id = $id;
                """, ("$id", group.Id), ("$org", group.OrgId), ("$name", group.Name), ("$game", group.Game), ("$now", TimeCodec.ToMicros(DateTimeOffset.UtcNow))))
            {
                upsert.ExecuteNonQuery();
            }
            foreach (var teacher in group.Teachers.Distinct(StringComparer.Ordinal))
            {
                using var add = Command(connection, tx, "INSERT INTO group_teachers (org_id, group_id, teacher_id) VALUES ($org, $id, $t);",
                    ("$org", group.OrgId), ("$id", group.Id), ("$t", teacher));
                add.ExecuteNonQuery();
            }
            return true;
        }, cancellationToken);

    public async Task<GroupRecord?> GetGroupAsync(string orgId, string groupId, CancellationToken cancellationToken) =>
        (await ReadGroupsAsync("WHERE g.org_id = $org AND g.id = $id", cancellationToken, ("$org", orgId), ("$id", groupId))).FirstOrDefault();

    public Task<IReadOnlyList<GroupRecord>> FindGroupsAsync(string groupId, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE g.id = $id", cancellationToken, ("$id", groupId));

    public Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(string? orgId, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE $org IS NULL OR g.org_id = $org", cancellationToken, ("$org", orgId));

    private async Task<IReadOnlyList<GroupRecord>> ReadGroupsAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT g.id, g.org_id, g.name, g.game, t.teacher_id FROM groups g
            LEFT JOIN group_teachers t ON t.org_id = g.org_id AND t.group_id = g.id
            {where} ORDER BY g.name, g.id, g.org_id, t.teacher_id;
            """;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await GroupRows.ReadAsync(reader, cancellationToken);
    }

    public Task<RosterChange> ReplaceMembersAsync(
        string groupId, string orgId, IReadOnlyList<DirectoryEntry> members, IReadOnlyList<string?> displayNames, bool lockNames,
        CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            var current = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var read = Command(connection, tx, "SELECT player_key, seat FROM group_members WHERE org_id = $org AND group_id = $g;", ("$org", orgId), ("$g", groupId)))
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    current[reader.GetString(0)] = reader.GetInt64(1);
                }
            }
            var wanted = members.Select(m => m.PlayerKey).ToHashSet(StringComparer.Ordinal);
            var removed = current.Keys.Where(k => !wanted.Contains(k)).Order(StringComparer.Ordinal).ToList();
            foreach (var key in removed)
            {
                using var delete = Command(connection, tx, "DELETE FROM group_members WHERE org_id = $org AND group_id = $g AND player_key = $pk;",
                    ("$org", orgId), ("$g", groupId), ("$pk", key));
                delete.ExecuteNonQuery();
            }
            var seat = current.Where(c => wanted.Contains(c.Key)).Select(c => c.Value).DefaultIfEmpty(0).Max();
            var added = new List<string>();
            var now = TimeCodec.ToMicros(DateTimeOffset.UtcNow);
            for (var i = 0; i < members.Count; i++)
            {
                using (var directory = Command(connection, tx, """
                    INSERT INTO players (player_key, org_id, raw_id, first_seen, display_name, name_locked) VALUES ($pk, $org, $raw, $now, $name, $lock)
                    ON CONFLICT (player_key) DO UPDATE SET
                        display_name = CASE WHEN players.under13 = 1 AND players.parental_consent = 0 THEN NULL
                            WHEN excluded.display_name IS NULL OR (players.name_locked = 1 AND $lock = 0) THEN players.display_name
                            ELSE excluded.display_name END,
                        name_locked = MAX(players.name_locked, excluded.name_locked);
                    """, ("$pk", members[i].PlayerKey), ("$org", orgId), ("$raw", members[i].RawPlayerId), ("$now", now),
                    ("$name", displayNames[i]), ("$lock", lockNames && displayNames[i] is not null ? 1 : 0)))
                {
                    directory.ExecuteNonQuery();
                }
                if (!current.ContainsKey(members[i].PlayerKey))
                {
                    using var add = Command(connection, tx, "INSERT INTO group_members (org_id, group_id, player_key, seat) VALUES ($org, $g, $pk, $seat);",
                        ("$org", orgId), ("$g", groupId), ("$pk", members[i].PlayerKey), ("$seat", ++seat));
                    add.ExecuteNonQuery();
                    added.Add(members[i].PlayerKey);
                }
            }
            // The class's rollup follows its roster.
            Rollups.RollupTriggers.EnqueueClass(connection, tx, orgId, groupId, now);
            return new RosterChange(added, removed);
        }, cancellationToken);

    public async Task<IReadOnlyList<GroupMember>> GetMembersAsync(string orgId, string groupId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.player_key, p.raw_id, p.display_name, m.seat, p.under13 = 1 AND p.parental_consent = 0 FROM group_members m
            JOIN players p ON p.player_key = m.player_key
            WHERE m.org_id = $org AND m.group_id = $g ORDER BY COALESCE(p.display_name, p.raw_id), m.player_key;
            """;
        command.Parameters.AddWithValue("$org", orgId);
        command.Parameters.AddWithValue("$g", groupId);
        var members = new List<GroupMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new GroupMember(reader.GetString(0), reader.GetString(1), NullableString(reader, 2), reader.GetInt32(3), reader.GetInt64(4) != 0));
        }
        return members;
    }

    public Task<IReadOnlyList<GroupRecord>> GetGroupsOfPlayerAsync(string playerKey, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.player_key = $p AND m.org_id = g.org_id AND m.group_id = g.id)",
            cancellationToken, ("$p", playerKey));

    public Task<IReadOnlyList<string>> JoinClassesAsync(
        string orgId, string game, IReadOnlyList<(string GroupId, string PlayerKey)> members, bool createMissing, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync<IReadOnlyList<string>>((connection, tx) =>
        {
            var missing = new List<string>();
            foreach (var byGroup in members.GroupBy(m => m.GroupId, StringComparer.Ordinal))
            {
                if (createMissing)
                {
                    using var create = Command(connection, tx,
                        "INSERT INTO groups (org_id, id, name, game, created_at) VALUES ($org, $id, $id, $game, $now) ON CONFLICT (org_id, id) DO NOTHING;",
                        ("$org", orgId), ("$id", byGroup.Key), ("$game", game), ("$now", TimeCodec.ToMicros(DateTimeOffset.UtcNow)));
                    create.ExecuteNonQuery();
                }
                else
                {
                    using var exists = Command(connection, tx, "SELECT 1 FROM groups WHERE org_id = $org AND id = $id;", ("$org", orgId), ("$id", byGroup.Key));
                    if (exists.ExecuteScalar() is null)
                    {
                        missing.Add(byGroup.Key);
                        continue;
                    }
                }
                foreach (var key in byGroup.Select(m => m.PlayerKey).Distinct(StringComparer.Ordinal))
                {
                    // One writer at a time on SQLite: the next seat cannot be taken twice.
                    using var join = Command(connection, tx, """
                        INSERT INTO group_members (org_id, group_id, player_key, seat)
                        SELECT $org, $g, $pk, COALESCE(MAX(seat), 0) + 1 FROM group_members WHERE org_id = $org AND group_id = $g
                        ON CONFLICT (org_id, group_id, player_key) DO NOTHING;
                        """, ("$org", orgId), ("$g", byGroup.Key), ("$pk", key));
                    join.ExecuteNonQuery();
                }
            }
            return missing;
        }, cancellationToken);
}
