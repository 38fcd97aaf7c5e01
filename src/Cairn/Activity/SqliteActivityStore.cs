using System.Text.Json;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using static Cairn.Storage.Sqlite.SqliteSql;

namespace Cairn.Activity;

/// <summary>The activity figures on SQLite (data fields by json_extract; field names are checked ids, so a path is safe to build).</summary>
internal sealed class SqliteActivityStore(SqliteDatabase db) : IActivityStore
{
    private static string Where(ActivityFilter filter) =>
        "org_id = $org AND game = $game AND ts >= $since AND player_key IS NOT NULL"
        + (filter.Players is null ? "" : " AND player_key IN (SELECT value FROM json_each($players))");

    private static (string, object?)[] Parameters(ActivityFilter filter, params (string, object?)[] more) =>
    [
        ("$org", filter.OrgId), ("$game", filter.Game), ("$since", TimeCodec.ToMicros(filter.Since)),
        ("$players", filter.Players is null ? null : JsonSerializer.Serialize(filter.Players)), .. more,
    ];

    public async Task<IReadOnlyList<ActivePlayer>> GetActivePlayersAsync(ActivityFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null,
            $"SELECT player_key, MAX(ts) AS last FROM events WHERE {Where(filter)} GROUP BY player_key ORDER BY last DESC, player_key;", Parameters(filter));
        var rows = new List<ActivePlayer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActivePlayer(reader.GetString(0), TimeCodec.FromMicros(reader.GetInt64(1))));
        }
        return rows;
    }

    public async Task<EngagementFigures> GetEngagementAsync(
        ActivityFilter filter, string eventType, (string Field, string Value)? content, string? valueField, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var average = valueField is null ? "NULL" : $"AVG(CASE WHEN json_type(data, '$.{valueField}') IN ('integer', 'real') THEN json_extract(data, '$.{valueField}') END)";
        var match = content is { } c ? $" AND CAST(json_extract(data, '$.{c.Field}') AS TEXT) = $value" : "";
        using var command = Command(connection, null,
            $"SELECT COUNT(*), COUNT(DISTINCT player_key), {average} FROM events WHERE {Where(filter)} AND event_type = $type{match};",
            Parameters(filter, ("$type", eventType), ("$value", content?.Value)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new EngagementFigures(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
    }

    public async Task<IReadOnlyList<ContentVisits>> GetContentVisitsAsync(ActivityFilter filter, string eventType, string field, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, $"""
            SELECT CAST(json_extract(data, '$.{field}') AS TEXT) AS content, COUNT(*) AS n, COUNT(DISTINCT player_key)
            FROM events WHERE {Where(filter)} AND event_type = $type AND json_type(data, '$.{field}') IN ('text', 'integer', 'real')
            GROUP BY content ORDER BY n DESC, content;
            """, Parameters(filter, ("$type", eventType)));
        var rows = new List<ContentVisits>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ContentVisits(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        return rows;
    }

    public async Task<IReadOnlyDictionary<string, long>> GetAchievementCountsAsync(ActivityFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        using var command = Command(connection, null, "SELECT achievement_id, COUNT(*) FROM player_achievements WHERE org_id = $org AND game = $game"
            + (filter.Players is null ? "" : " AND player_key IN (SELECT value FROM json_each($players))") + " GROUP BY achievement_id;", Parameters(filter));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }
}
