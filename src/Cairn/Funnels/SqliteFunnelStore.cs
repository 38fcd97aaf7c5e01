using System.Text.Json;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Funnels;

/// <summary>A funnel's events on SQLite (the breakdown's column and field are checked names, so the json path is safe to build).</summary>
internal sealed class SqliteFunnelStore(SqliteDatabase db) : IFunnelStore
{
    public async Task<IReadOnlyList<FunnelEvent>> ReadAsync(FunnelRead read, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var group = read.Breakdown is { } b ? $"CAST(json_extract({b.Column}, '$.{b.Field}') AS TEXT)" : "NULL";
        using var command = Command(connection, null, $"""
            SELECT player_key, ts, event_type, data, {group} FROM events
            WHERE org_id = $org AND game = $game AND ts >= $from AND ts < $to AND player_key IS NOT NULL
            {(read.EventTypes is null ? "" : "AND event_type IN (SELECT value FROM json_each($types))")}
            {(read.Players is null ? "" : "AND player_key IN (SELECT value FROM json_each($players))")}
            ORDER BY player_key, ts, seq;
            """,
            ("$org", read.OrgId), ("$game", read.Game), ("$from", TimeCodec.ToMicros(read.From)), ("$to", TimeCodec.ToMicros(read.To)),
            ("$types", read.EventTypes is null ? null : JsonSerializer.Serialize(read.EventTypes)),
            ("$players", read.Players is null ? null : JsonSerializer.Serialize(read.Players)));
        var rows = new List<FunnelEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new FunnelEvent(reader.GetString(0), TimeCodec.FromMicros(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return rows;
    }
}
