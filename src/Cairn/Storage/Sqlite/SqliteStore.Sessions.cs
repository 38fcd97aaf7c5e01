namespace Cairn.Storage.Sqlite;

internal sealed partial class SqliteStore
{
    public Task CreateSessionAsync(SessionRecord session, DateTimeOffset now, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
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
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_hash, token_hash, csrf, expires FROM sessions WHERE id_hash = $id;";
        command.Parameters.AddWithValue("$id", idHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SessionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), TimeCodec.FromMicros(reader.GetInt64(3)))
            : null;
    }

    public Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        InWriteTransactionAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "DELETE FROM sessions WHERE id_hash = $id;", ("$id", idHash));
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
