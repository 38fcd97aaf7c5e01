using Cairn.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Activity;

/// <summary>The activity figures on PostgreSQL (the window's time bound lets the planner read only its days' partitions).</summary>
internal sealed class PostgresActivityStore(PostgresDatabase db) : IActivityStore
{
    private static string Where(ActivityFilter filter) =>
        "org_id = @org AND game = @game AND ts >= @since AND player_key IS NOT NULL" + (filter.Players is null ? "" : " AND player_key = ANY(@players)");

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, ActivityFilter filter)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("org", filter.OrgId);
        command.Parameters.AddWithValue("game", filter.Game);
        command.Parameters.AddWithValue("since", filter.Since.UtcDateTime);
        if (filter.Players is not null)
        {
            command.Parameters.AddWithValue("players", filter.Players.ToArray());
        }
        return command;
    }

    public async Task<IReadOnlyList<ActivePlayer>> GetActivePlayersAsync(ActivityFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT player_key, MAX(ts) AS last FROM events WHERE {Where(filter)} GROUP BY player_key ORDER BY last DESC, player_key COLLATE \"C\";", filter);
        var rows = new List<ActivePlayer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActivePlayer(reader.GetString(0), new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc))));
        }
        return rows;
    }

    public async Task<EngagementFigures> GetEngagementAsync(
        ActivityFilter filter, string eventType, (string Field, string Value)? content, string? valueField, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        var average = valueField is null ? "NULL::float8" : "AVG(CASE WHEN jsonb_typeof(data -> @valueField) = 'number' THEN (data ->> @valueField)::float8 END)";
        var match = content is not null ? " AND data ->> @field = @value" : "";
        await using var command = Command(connection,
            $"SELECT COUNT(*), COUNT(DISTINCT player_key), {average} FROM events WHERE {Where(filter)} AND event_type = @type{match};", filter);
        command.Parameters.AddWithValue("type", eventType);
        if (content is { } c)
        {
            command.Parameters.AddWithValue("field", c.Field);
            command.Parameters.AddWithValue("value", c.Value);
        }
        if (valueField is not null)
        {
            command.Parameters.AddWithValue("valueField", NpgsqlDbType.Text, valueField);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new EngagementFigures(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));
    }

    public async Task<IReadOnlyList<ContentVisits>> GetContentVisitsAsync(ActivityFilter filter, string eventType, string field, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT content, n, players FROM (
                SELECT data ->> @field AS content, COUNT(*) AS n, COUNT(DISTINCT player_key) AS players
                FROM events WHERE {Where(filter)} AND event_type = @type AND jsonb_typeof(data -> @field) IN ('string', 'number')
                GROUP BY 1) visits
            ORDER BY n DESC, content COLLATE "C";
            """, filter);
        command.Parameters.AddWithValue("type", eventType);
        command.Parameters.AddWithValue("field", NpgsqlDbType.Text, field);
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
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT achievement_id, COUNT(*) FROM player_achievements WHERE org_id = @org AND game = @game"
            + (filter.Players is null ? "" : " AND player_key = ANY(@players)") + " GROUP BY achievement_id;", connection);
        command.Parameters.AddWithValue("org", filter.OrgId);
        command.Parameters.AddWithValue("game", filter.Game);
        if (filter.Players is not null)
        {
            command.Parameters.AddWithValue("players", filter.Players.ToArray());
        }
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }
}
