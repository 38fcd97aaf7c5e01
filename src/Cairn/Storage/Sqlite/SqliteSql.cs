using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Sqlite;

/// <summary>Small helpers shared by the SQLite stores (<c>using static</c>).</summary>
internal static class SqliteSql
{
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static JsonElement? NullableJson(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ParseJson(reader.GetString(ordinal));

    public static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static void AddExportFilter(SqliteCommand command, ExportFilter filter)
    {
        command.Parameters.AddWithValue("$org", (object?)filter.OrgId ?? DBNull.Value);
        command.Parameters.AddWithValue("$game", (object?)filter.Game ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", filter.Since is { } since ? TimeCodec.ToMicros(since) : DBNull.Value);
        command.Parameters.AddWithValue("$until", filter.Until is { } until ? TimeCodec.ToMicros(until) : DBNull.Value);
        command.Parameters.AddWithValue("$keys", filter.PlayerKeys is { } keys ? JsonSerializer.Serialize(keys) : DBNull.Value);
    }
}
