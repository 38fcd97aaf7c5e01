using Cairn.Storage.Postgres;
using Npgsql;

namespace Cairn.Cohorts;

/// <summary>Active days on PostgreSQL (the day of a UTC timestamp, as days since 1970-01-01).</summary>
internal sealed class PostgresRetentionStore(PostgresDatabase db) : IRetentionStore
{
    public async Task<IReadOnlyList<ActiveDay>> GetActiveDaysAsync(
        string orgId, string game, DateTimeOffset to, IReadOnlyList<string>? players, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT DISTINCT player_key, floor(extract(epoch FROM ts) / 86400)::bigint FROM events
            WHERE org_id = @org AND game = @game AND ts < @to AND player_key IS NOT NULL
            {(players is null ? "" : "AND player_key = ANY(@players)")};
            """, connection);
        command.Parameters.AddWithValue("org", orgId);
        command.Parameters.AddWithValue("game", game);
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        if (players is not null)
        {
            command.Parameters.AddWithValue("players", players.ToArray());
        }
        var rows = new List<ActiveDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActiveDay(reader.GetString(0), reader.GetInt64(1)));
        }
        return rows;
    }
}
