using Npgsql;
using NpgsqlTypes;

namespace Cairn.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task<bool> UpsertGroupAsync(GroupRecord group, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            await using (var existing = Command(connection, tx, "SELECT org_id, game FROM groups WHERE id = $1 FOR UPDATE;", group.Id))
            await using (var reader = await existing.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken) && (reader.GetString(0) != group.OrgId || reader.GetString(1) != group.Game))
                {
                    return false;
                }
            }
            await using (var upsert = Command(connection, tx, """
                INSERT INTO groups (id, org_id, name, game, created_at) VALUES ($1, $2, $3, $4, now())
                ON CONFLICT (id) DO UPDATE SET name = excluded.name;
                """, group.Id, group.OrgId, group.Name, group.Game))
            {
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var clear = Command(connection, tx, "DELETE FROM group_teachers WHERE group_id = $1;", group.Id))
            {
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var add = Command(connection, tx,
                "INSERT INTO group_teachers (group_id, teacher_id) SELECT $1, t FROM unnest($2::text[]) AS t ON CONFLICT DO NOTHING;",
                group.Id, group.Teachers.Distinct(StringComparer.Ordinal).ToArray());
            await add.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public async Task<GroupRecord?> GetGroupAsync(string groupId, CancellationToken cancellationToken) =>
        (await ReadGroupsAsync("WHERE g.id = $1", groupId, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(string? orgId, CancellationToken cancellationToken) =>
        ReadGroupsAsync("WHERE $1::text IS NULL OR g.org_id = $1", orgId, cancellationToken);

    private async Task<IReadOnlyList<GroupRecord>> ReadGroupsAsync(string where, string? parameter, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT g.id, g.org_id, g.name, g.game, t.teacher_id FROM groups g
            LEFT JOIN group_teachers t ON t.group_id = g.id
            {where} ORDER BY g.name COLLATE "C", g.id COLLATE "C", t.teacher_id COLLATE "C";
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)parameter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await GroupRows.ReadAsync(reader, cancellationToken);
    }

    public Task ReplaceMembersAsync(
        string groupId, string orgId, IReadOnlyList<DirectoryEntry> members, IReadOnlyList<string?> displayNames, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            await using (var clear = Command(connection, tx, "DELETE FROM group_members WHERE group_id = $1;", groupId))
            {
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }
            if (members.Count == 0)
            {
                return 0;
            }
            await using (var directory = Command(connection, tx, """
                INSERT INTO players (player_key, org_id, raw_id, first_seen, display_name)
                SELECT k, $1, r, now(), n FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, r, n)
                ON CONFLICT (player_key) DO UPDATE SET display_name = CASE WHEN players.under13 AND NOT players.parental_consent THEN NULL
                    ELSE COALESCE(excluded.display_name, players.display_name) END;
                """, orgId, members.Select(m => m.PlayerKey).ToArray(), members.Select(m => m.RawPlayerId).ToArray(), displayNames.ToArray()))
            {
                directory.Parameters[3].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
                await directory.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var add = Command(connection, tx,
                "INSERT INTO group_members (group_id, player_key) SELECT $1, k FROM unnest($2::text[]) AS k ON CONFLICT DO NOTHING;",
                groupId, members.Select(m => m.PlayerKey).ToArray());
            await add.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<GroupMember>> GetMembersAsync(string groupId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT m.player_key, p.raw_id, p.display_name FROM group_members m
            JOIN players p ON p.player_key = m.player_key
            WHERE m.group_id = $1 ORDER BY COALESCE(p.display_name, p.raw_id) COLLATE "C", m.player_key COLLATE "C";
            """, connection);
        command.Parameters.AddWithValue(groupId);
        var members = new List<GroupMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new GroupMember(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return members;
    }

    public async Task<IReadOnlyList<ProgressRow>> GetGroupProgressAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {ProgressColumns} FROM group_members m
            JOIN progress_points p ON p.player_key = m.player_key AND p.game = $2 AND p.org_id = $3
            WHERE m.group_id = $1;
            """, connection);
        command.Parameters.AddWithValue(group.Id);
        command.Parameters.AddWithValue(group.Game);
        command.Parameters.AddWithValue(group.OrgId);
        return await ReadProgressRowsAsync(command, cancellationToken);
    }

    public async Task<long> GetLatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(seq), 0) FROM progress_changes;", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<CellChange>> GetGroupChangesAsync(GroupRecord group, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT c.seq, c.player_key, c.point_id, p.status, p.score, p.completed_at
            FROM progress_changes c
            JOIN group_members m ON m.group_id = $1 AND m.player_key = c.player_key
            LEFT JOIN progress_points p ON p.org_id = c.org_id AND p.game = c.game AND p.player_key = c.player_key AND p.point_id = c.point_id
            WHERE c.org_id = $2 AND c.game = $3 AND c.seq > $4
            ORDER BY c.seq LIMIT $5;
            """, connection);
        command.Parameters.AddWithValue(group.Id);
        command.Parameters.AddWithValue(group.OrgId);
        command.Parameters.AddWithValue(group.Game);
        command.Parameters.AddWithValue(afterSeq);
        command.Parameters.AddWithValue(limit);
        var changes = new List<CellChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new CellChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5))));
        }
        return changes;
    }
}
