using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Storage.Sqlite;

/// <summary>API keys, read tokens and browser sessions on SQLite.</summary>
internal sealed class SqliteAccessStore(SqliteDatabase db) : IAccessStore
{
    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO api_keys (id, key_hash, org_id, game, created_at, role, teachers, player_key)
            VALUES ($id, $hash, $org, $game, $at, $role, $teachers, $pk);
            """;
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$hash", key.KeyHash);
        command.Parameters.AddWithValue("$org", key.OrgId);
        command.Parameters.AddWithValue("$game", key.Game);
        command.Parameters.AddWithValue("$at", TimeCodec.ToMicros(key.CreatedAt));
        command.Parameters.AddWithValue("$role", (object?)key.Role ?? DBNull.Value);
        command.Parameters.AddWithValue("$teachers", key.Teachers is { Count: > 0 } t ? string.Join(',', t) : DBNull.Value);
        command.Parameters.AddWithValue("$pk", (object?)key.PlayerKey ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string ApiKeyColumns = "id, key_hash, org_id, game, created_at, revoked_at, role, teachers, player_key";

    public async Task<ApiKeyRecord?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        (await ReadApiKeysAsync("WHERE key_hash = $p", keyHash, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? orgId, CancellationToken cancellationToken) =>
        ReadApiKeysAsync("WHERE $p IS NULL OR org_id = $p ORDER BY created_at, id", orgId, cancellationToken);

    private async Task<IReadOnlyList<ApiKeyRecord>> ReadApiKeysAsync(string where, string? parameter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ApiKeyColumns} FROM api_keys {where};";
        command.Parameters.AddWithValue("$p", (object?)parameter ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                TimeCodec.FromMicros(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : TimeCodec.FromMicros(reader.GetInt64(5)),
                NullableString(reader, 6),
                NullableString(reader, 7)?.Split(',', StringSplitOptions.RemoveEmptyEntries),
                NullableString(reader, 8)));
        }
        return keys;
    }

    public Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "UPDATE api_keys SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL;",
                ("$now", TimeCodec.ToMicros(now)), ("$id", id));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task CreateSessionAsync(SessionRecord session, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, """
                DELETE FROM sessions WHERE expires < $now;
                INSERT INTO sessions (id_hash, token_hash, csrf, expires) VALUES ($id, $token, $csrf, $expires);
                """, ("$now", TimeCodec.ToMicros(now)), ("$id", session.IdHash), ("$token", session.TokenHash), ("$csrf", session.Csrf),
                ("$expires", TimeCodec.ToMicros(session.Expires)));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_hash, token_hash, csrf, expires FROM sessions WHERE id_hash = $id;";
        command.Parameters.AddWithValue("$id", idHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SessionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), TimeCodec.FromMicros(reader.GetInt64(3)))
            : null;
    }

    public Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "DELETE FROM sessions WHERE id_hash = $id;", ("$id", idHash));
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
