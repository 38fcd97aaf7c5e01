using Npgsql;

namespace Cairn.Storage.Postgres;

internal sealed partial class PostgresStore
{
    public Task CreateSessionAsync(SessionRecord session, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id_hash, token_hash, csrf, expires FROM sessions WHERE id_hash = $1;", connection);
        command.Parameters.AddWithValue(idHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SessionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), Utc(reader.GetDateTime(3)))
            : null;
    }

    public Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, tx) =>
        {
            await using var command = Command(connection, tx, "DELETE FROM sessions WHERE id_hash = $1;", idHash);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
