using System.Text.Json;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Cohorts;

/// <summary>Active days on SQLite (ts is microseconds since 1970: the day is an integer division).</summary>
internal sealed class SqliteRetentionStore(SqliteDatabase db) : IRetentionStore
{
    public async Task<IReadOnlyList<ActiveDay>> GetActiveDaysAsync(
        string orgId, string game, DateTimeOffset to, IReadOnlyList<string>? players, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, $"""
            SELECT DISTINCT player_key, ts / 86400000000 FROM events
            WHERE org_id = $org AND game = $game AND ts < $to AND ts >= 0 AND player_key IS NOT NULL
            {(players is null ? "" : "AND player_key IN (SELECT value FROM json_each($players))")};
            """, ("$org", orgId), ("$game", game), ("$to", TimeCodec.ToMicros(to)), ("$players", players is null ? null : JsonSerializer.Serialize(players)));
        var rows = new List<ActiveDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActiveDay(reader.GetString(0), reader.GetInt64(1)));
        }
        return rows;
    }
}
