using Cairn.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Funnels;

/// <summary>A funnel's events on PostgreSQL (the window's bounds let the planner read only its days' partitions).</summary>
internal sealed class PostgresFunnelStore(PostgresDatabase db) : IFunnelStore
{
    public async Task<IReadOnlyList<FunnelEvent>> ReadAsync(FunnelRead read, CancellationToken cancellationToken)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(cancellationToken);
        var group = read.Breakdown is { } b ? $"{b.Column} ->> @field" : "NULL::text";
        await using var command = new NpgsqlCommand($"""
            SELECT player_key, ts, event_type, data::text, {group} FROM events
            WHERE org_id = @org AND game = @game AND ts >= @from AND ts < @to AND player_key IS NOT NULL
            {(read.EventTypes is null ? "" : "AND event_type = ANY(@types)")}
            {(read.Players is null ? "" : "AND player_key = ANY(@players)")}
            ORDER BY player_key COLLATE "C", ts, seq;
            """, connection);
        command.Parameters.AddWithValue("org", read.OrgId);
        command.Parameters.AddWithValue("game", read.Game);
        command.Parameters.AddWithValue("from", read.From.UtcDateTime);
        command.Parameters.AddWithValue("to", read.To.UtcDateTime);
        if (read.EventTypes is not null)
        {
            command.Parameters.AddWithValue("types", read.EventTypes.ToArray());
        }
        if (read.Players is not null)
        {
            command.Parameters.AddWithValue("players", read.Players.ToArray());
        }
        if (read.Breakdown is { } breakdown)
        {
            command.Parameters.AddWithValue("field", NpgsqlDbType.Text, breakdown.Field);
        }
        var rows = new List<FunnelEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new FunnelEvent(reader.GetString(0), new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)), reader.GetString(2),
                reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        return rows;
    }
}
