using System.Text.Json;

namespace Cairn.PlaySessions.Storage;

/// <summary>A session's event counts by category, stored as a small JSON object.</summary>
internal static class SessionCategories
{
    public static string Write(IReadOnlyDictionary<string, int> counts) => JsonSerializer.Serialize(counts);

    public static IReadOnlyDictionary<string, int> Read(string json) =>
        JsonSerializer.Deserialize<SortedDictionary<string, int>>(json) ?? new SortedDictionary<string, int>(StringComparer.Ordinal);
}
