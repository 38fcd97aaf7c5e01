using System.Text.Json;

namespace Cairn.Rollups.Storage;

/// <summary>The JSON columns of the rollup tables (level counts, a student's assignments and started points).</summary>
internal static class RollupJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
