using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>API keys, read tokens and browser sessions on PostgreSQL.</summary>
internal sealed class PostgresAccessStore(PostgresDatabase db) : IAccessStore
{
    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO api_keys (id, key_hash, org_id, game, created_at, role, teachers, player_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
            """, connection);
        command.Parameters.AddWithValue(key.Id);
        command.Parameters.AddWithValue(key.KeyHash);
        command.Parameters.AddWithValue(key.OrgId);
        command.Parameters.AddWithValue(key.Game);
        command.Parameters.AddWithValue(key.CreatedAt.UtcDateTime);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.Role ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Teachers is { Count: > 0 } t ? string.Join(',', t) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.PlayerKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiKeyRecord?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        (await ReadApiKeysAsync("WHERE key_hash = $1", keyHash, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? orgId, CancellationToken cancellationToken) =>
        ReadApiKeysAsync("WHERE $1::text IS NULL OR org_id = $1 ORDER BY created_at, id", orgId, cancellationToken);

    private async Task<IReadOnlyList<ApiKeyRecord>> ReadApiKeysAsync(string where, string? parameter, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT id, key_hash, org_id, game, created_at, revoked_at, role, teachers, player_key FROM api_keys {where};", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)parameter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                Utc(reader.GetDateTime(4)), reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return keys;
    }

    public Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL;", now, id);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task CreateSessionAsync(SessionRecord session, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using (var purge = Command(connection, tx, "DELETE FROM sessions WHERE expires < $1;", now))
            {
                await purge.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var insert = Command(connection, tx, "INSERT INTO sessions (id_hash, token_hash, csrf, expires) VALUES ($1, $2, $3, $4);",
                session.IdHash, session.TokenHash, session.Csrf, session.Expires);
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id_hash, token_hash, csrf, expires FROM sessions WHERE id_hash = $1;", connection);
        command.Parameters.AddWithValue(idHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SessionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), Utc(reader.GetDateTime(3)))
            : null;
    }

    public Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, "DELETE FROM sessions WHERE id_hash = $1;", idHash);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
