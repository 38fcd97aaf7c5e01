using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task<bool> UpsertGroupAsync(GroupRecord group, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
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
        await using var connection = await OpenAsync(cancellationToken);
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
        InWriteTransactionAsync((connection, tx) =>
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
            return new RosterChange(added, removed);
        }, cancellationToken);

    public async Task<IReadOnlyList<GroupMember>> GetMembersAsync(string orgId, string groupId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
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

    public async Task<IReadOnlyList<ProgressRow>> GetGroupProgressAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        // CROSS JOIN fixes the join order (SQLite has no statistics to choose it): members first, then each member's rows
        // by primary key. Left to itself the planner scanned every row of the org's game and filtered on membership,
        // so a class's matrix cost grew with the size of its school.
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.org_id, p.game, p.player_key, p.point_id, p.status, p.score, p.duration_seconds, p.count, p.completed_at,
                   p.score_version, p.trigger_event_id, p.updated_at
            FROM group_members m
            CROSS JOIN progress_points p ON p.player_key = m.player_key AND p.game = $game AND p.org_id = $org
            WHERE m.org_id = $org AND m.group_id = $g;
            """;
        command.Parameters.AddWithValue("$g", group.Id);
        command.Parameters.AddWithValue("$game", group.Game);
        command.Parameters.AddWithValue("$org", group.OrgId);
        var rows = new List<ProgressRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadProgressRow(reader));
        }
        return rows;
    }

    private static ProgressRow ReadProgressRow(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7), TimeCodec.FromMicros(reader.GetInt64(8)), reader.GetString(9),
        reader.GetString(10), TimeCodec.FromMicros(reader.GetInt64(11)));

    public async Task<long> GetLatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM progress_changes;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<CellChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.seq, c.player_key, c.point_id, p.status, p.score, p.completed_at
            FROM progress_changes c
            JOIN group_members m ON m.org_id = c.org_id AND m.group_id = $g AND m.player_key = c.player_key
            LEFT JOIN progress_points p ON p.org_id = c.org_id AND p.game = c.game AND p.player_key = c.player_key AND p.point_id = c.point_id
            WHERE c.org_id = $org AND c.game = $game AND c.seq > $after
            ORDER BY c.seq LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$g", group.Id);
        command.Parameters.AddWithValue("$org", group.OrgId);
        command.Parameters.AddWithValue("$game", group.Game);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        var changes = new List<CellChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new CellChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : TimeCodec.FromMicros(reader.GetInt64(5))));
        }
        return changes;
    }
}
