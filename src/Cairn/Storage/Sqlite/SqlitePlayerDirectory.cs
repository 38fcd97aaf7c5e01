using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Storage.Sqlite;

/// <summary>The player directory and consent on SQLite.</summary>
internal sealed class SqlitePlayerDirectory(SqliteDatabase db) : IPlayerDirectory
{
    public async Task<bool> PlayerExistsAsync(string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM players WHERE player_key = $pk;";
        command.Parameters.AddWithValue("$pk", playerKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<PlayerInfo?> GetPlayerAsync(string playerKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT player_key, org_id, raw_id, display_name, consent, under13, parental_consent FROM players WHERE player_key = $pk;";
        command.Parameters.AddWithValue("$pk", playerKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadPlayer(reader) : null;
    }

    private static PlayerInfo ReadPlayer(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3), reader.GetString(4),
        reader.GetInt64(5) != 0, reader.GetInt64(6) != 0);

    public Task SetConsentAsync(ConsentRecord consent, CancellationToken cancellationToken) =>
        db.InWriteTransactionAsync((connection, tx) =>
        {
            // COPPA: a child under 13 without parental consent keeps no name in the directory.
            using var command = Command(connection, tx, """
                INSERT INTO players (player_key, org_id, raw_id, first_seen, consent, under13, parental_consent)
                VALUES ($pk, $org, $raw, $now, $consent, $u13, $parental)
                ON CONFLICT (player_key) DO UPDATE SET consent = excluded.consent, under13 = excluded.under13,
                    parental_consent = excluded.parental_consent;
                UPDATE players SET display_name = NULL WHERE player_key = $pk AND under13 = 1 AND parental_consent = 0;
                """, ("$pk", consent.PlayerKey), ("$org", consent.OrgId), ("$raw", consent.RawPlayerId), ("$now", TimeCodec.ToMicros(DateTimeOffset.UtcNow)),
                ("$consent", consent.Consent), ("$u13", consent.Under13 ? 1 : 0), ("$parental", consent.ParentalConsent ? 1 : 0));
            command.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<PlayerInfo>> ListOptedOutAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT player_key, org_id, raw_id, display_name, consent, under13, parental_consent FROM players WHERE consent = 'opted-out';";
        var players = new List<PlayerInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            players.Add(ReadPlayer(reader));
        }
        return players;
    }

    public async Task<IReadOnlyList<PlayerInfo>> ListPlayersNotKeyedWithAsync(string currentPrefix, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT player_key, org_id, raw_id, display_name, consent, under13, parental_consent FROM players
            WHERE substr(player_key, 1, length($prefix)) <> $prefix ORDER BY player_key LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$prefix", currentPrefix);
        command.Parameters.AddWithValue("$limit", limit);
        var players = new List<PlayerInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            players.Add(ReadPlayer(reader));
        }
        return players;
    }
}
