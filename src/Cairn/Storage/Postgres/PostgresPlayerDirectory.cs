using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static Cairn.Storage.Postgres.PostgresSql;

namespace Cairn.Storage.Postgres;

/// <summary>The player directory and consent on PostgreSQL.</summary>
internal sealed class PostgresPlayerDirectory(PostgresDatabase db) : IPlayerDirectory
{
    public async Task<bool> PlayerExistsAsync(string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM players WHERE player_key = $1;", connection);
        command.Parameters.AddWithValue(playerKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private const string PlayerColumns = "player_key, org_id, raw_id, display_name, consent, under13, parental_consent";

    public async Task<PlayerInfo?> GetPlayerAsync(string playerKey, CancellationToken cancellationToken) =>
        (await ReadPlayersAsync($"SELECT {PlayerColumns} FROM players WHERE player_key = $1;", playerKey, null, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<PlayerInfo>> ListPlayersNotKeyedWithAsync(string currentPrefix, int limit, CancellationToken cancellationToken) =>
        ReadPlayersAsync($"SELECT {PlayerColumns} FROM players WHERE left(player_key, length($1)) <> $1 ORDER BY player_key LIMIT $2;",
            currentPrefix, limit, cancellationToken);

    private async Task<IReadOnlyList<PlayerInfo>> ReadPlayersAsync(string sql, string first, int? second, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(first);
        if (second is { } value)
        {
            command.Parameters.AddWithValue(value);
        }
        var players = new List<PlayerInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            players.Add(new PlayerInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6)));
        }
        return players;
    }

    public Task SetConsentAsync(ConsentRecord consent, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (connection, tx) =>
        {
            // COPPA: a child under 13 without parental consent keeps no name in the directory.
            await using var command = Command(connection, tx, """
                INSERT INTO players (player_key, org_id, raw_id, first_seen, consent, under13, parental_consent)
                VALUES ($1, $2, $3, now(), $4, $5, $6)
                ON CONFLICT (player_key) DO UPDATE SET consent = excluded.consent, under13 = excluded.under13,
                    parental_consent = excluded.parental_consent,
                    display_name = CASE WHEN excluded.under13 AND NOT excluded.parental_consent THEN NULL ELSE players.display_name END;
                """, consent.PlayerKey, consent.OrgId, consent.RawPlayerId, consent.Consent, consent.Under13, consent.ParentalConsent);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<PlayerInfo>> ListOptedOutAsync(CancellationToken cancellationToken) =>
        ReadPlayersAsync($"SELECT {PlayerColumns} FROM players WHERE consent = $1;", "opted-out", null, cancellationToken);
}
