using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public async Task<Page<StoredEvent>> GetTimelineAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("""
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data::text, device::text, context::text, schema_version, privacy_level, received_at
            FROM events WHERE player_key = @pk
            """);
        command.Parameters.AddWithValue("pk", query.PlayerKey);
        if (query.Games is { } games)
        {
            sql.Append(" AND game = ANY(@games)");
            command.Parameters.AddWithValue("games", games.ToArray());
        }
        if (query.Since is { } since)
        {
            sql.Append(" AND ts >= @since");
            command.Parameters.AddWithValue("since", since.UtcDateTime);
        }
        if (query.Until is { } until)
        {
            sql.Append(" AND ts < @until");
            command.Parameters.AddWithValue("until", until.UtcDateTime);
        }
        if (Cursor.TryDecode(query.Cursor, out var cursorTs, out var cursorSeq))
        {
            sql.Append(" AND (ts, seq) < (@cts, @cseq)");
            command.Parameters.AddWithValue("cts", TimeCodec.FromMicros(cursorTs).UtcDateTime);
            command.Parameters.AddWithValue("cseq", cursorSeq);
        }
        sql.Append(" ORDER BY ts DESC, seq DESC LIMIT @limit;");
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredEvent(
                Seq: reader.GetInt64(0),
                EventId: reader.GetString(1),
                EventType: reader.GetString(2),
                Timestamp: Utc(reader.GetDateTime(3)),
                Game: reader.GetString(4),
                Source: reader.GetString(5),
                PlayerKey: reader.IsDBNull(6) ? null : reader.GetString(6),
                SessionId: reader.IsDBNull(7) ? null : reader.GetString(7),
                EventKey: reader.IsDBNull(8) ? null : reader.GetString(8),
                Data: ParseJson(reader.GetString(9)),
                Device: reader.IsDBNull(10) ? null : ParseJson(reader.GetString(10)),
                Context: reader.IsDBNull(11) ? null : ParseJson(reader.GetString(11)),
                SchemaVersion: reader.IsDBNull(12) ? null : reader.GetString(12),
                PrivacyLevel: reader.GetString(13),
                ReceivedAt: Utc(reader.GetDateTime(14))));
        }
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            next = Cursor.Encode(TimeCodec.ToMicros(items[^1].Timestamp), items[^1].Seq);
        }
        return new Page<StoredEvent>(items, next);
    }

    public async Task<Page<StoredRejected>> ListRejectedAsync(string? orgId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT id, org_id, game, event_id, player_key, received_at, raw, reasons::text FROM rejected_events
            WHERE (@org::text IS NULL OR org_id = @org) AND (@before::bigint IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("org", NpgsqlDbType.Text) { Value = (object?)orgId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint)
        {
            Value = Cursor.TryDecode(cursor, out var before, out _) ? before : DBNull.Value,
        });
        command.Parameters.AddWithValue("limit", limit + 1);
        var items = new List<StoredRejected>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredRejected(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                Utc(reader.GetDateTime(5)), reader.GetString(6), ParseJson(reader.GetString(7))));
        }
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(items.Count - 1);
            next = Cursor.Encode(items[^1].Id, 0);
        }
        return new Page<StoredRejected>(items, next);
    }

    public async Task<long> CountEventsAsync(string? orgId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM events WHERE @org::text IS NULL OR org_id = @org;", connection);
        command.Parameters.Add(new NpgsqlParameter("org", NpgsqlDbType.Text) { Value = (object?)orgId ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> PlayerExistsAsync(string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM players WHERE player_key = $1;", connection);
        command.Parameters.AddWithValue(playerKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
        InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL;", now, id);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
}
