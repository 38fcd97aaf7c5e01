using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public async Task<Page<StoredEvent>> GetTimelineAsync(TimelineQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder("""
            SELECT seq, event_id, event_type, ts, game, source, player_key, session_id, event_key,
                   data, device, context, schema_version, privacy_level, received_at
            FROM events WHERE player_key = $pk
            """);
        command.Parameters.AddWithValue("$pk", query.PlayerKey);
        if (query.Games is { } games)
        {
            sql.Append(" AND game IN (SELECT value FROM json_each($games))");
            command.Parameters.AddWithValue("$games", System.Text.Json.JsonSerializer.Serialize(games));
        }
        if (query.Since is { } since)
        {
            sql.Append(" AND ts >= $since");
            command.Parameters.AddWithValue("$since", TimeCodec.ToMicros(since));
        }
        if (query.Until is { } until)
        {
            sql.Append(" AND ts < $until");
            command.Parameters.AddWithValue("$until", TimeCodec.ToMicros(until));
        }
        if (Cursor.TryDecode(query.Cursor, out var cursorTs, out var cursorSeq))
        {
            sql.Append(" AND (ts < $cts OR (ts = $cts AND seq < $cseq))");
            command.Parameters.AddWithValue("$cts", cursorTs);
            command.Parameters.AddWithValue("$cseq", cursorSeq);
        }
        sql.Append(" ORDER BY ts DESC, seq DESC LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredEvent>(Math.Min(query.Limit + 1, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredEvent(
                Seq: reader.GetInt64(0),
                EventId: reader.GetString(1),
                EventType: reader.GetString(2),
                Timestamp: TimeCodec.FromMicros(reader.GetInt64(3)),
                Game: reader.GetString(4),
                Source: reader.GetString(5),
                PlayerKey: NullableString(reader, 6),
                SessionId: NullableString(reader, 7),
                EventKey: NullableString(reader, 8),
                Data: ParseJson(reader.GetString(9)),
                Device: NullableJson(reader, 10),
                Context: NullableJson(reader, 11),
                SchemaVersion: NullableString(reader, 12),
                PrivacyLevel: reader.GetString(13),
                ReceivedAt: TimeCodec.FromMicros(reader.GetInt64(14))));
        }
        string? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = Cursor.Encode(TimeCodec.ToMicros(last.Timestamp), last.Seq);
        }
        return new Page<StoredEvent>(items, next);
    }

    public async Task<Page<StoredRejected>> ListRejectedAsync(string? orgId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder("SELECT id, org_id, game, event_id, player_key, received_at, raw, reasons FROM rejected_events WHERE 1 = 1");
        if (orgId is not null)
        {
            sql.Append(" AND org_id = $org");
            command.Parameters.AddWithValue("$org", orgId);
        }
        if (Cursor.TryDecode(cursor, out var beforeId, out _))
        {
            sql.Append(" AND id < $before");
            command.Parameters.AddWithValue("$before", beforeId);
        }
        sql.Append(" ORDER BY id DESC LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredRejected>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredRejected(
                Id: reader.GetInt64(0),
                OrgId: reader.GetString(1),
                Game: reader.GetString(2),
                EventId: NullableString(reader, 3),
                PlayerKey: NullableString(reader, 4),
                ReceivedAt: TimeCodec.FromMicros(reader.GetInt64(5)),
                Raw: reader.GetString(6),
                Reasons: ParseJson(reader.GetString(7))));
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
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = orgId is null ? "SELECT COUNT(*) FROM events;" : "SELECT COUNT(*) FROM events WHERE org_id = $org;";
        if (orgId is not null)
        {
            command.Parameters.AddWithValue("$org", orgId);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<bool> PlayerExistsAsync(string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM players WHERE player_key = $pk;";
        command.Parameters.AddWithValue("$pk", playerKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
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
        InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "UPDATE api_keys SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL;",
                ("$now", TimeCodec.ToMicros(now)), ("$id", id));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    private static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static JsonElement? NullableJson(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ParseJson(reader.GetString(ordinal));

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
