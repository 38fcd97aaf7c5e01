using System.Text.Json;

namespace Cairn.Catalogs;

/// <summary>Does a stored event fit a pattern? The same rule as the trigger index, for events read back.</summary>
internal static class PatternMatcher
{
    public static bool Matches(EventPattern? pattern, string eventType, JsonElement data)
    {
        if (pattern is null || pattern.EventType != eventType)
        {
            return false;
        }
        foreach (var (field, values) in pattern.Data)
        {
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(field, out var value)
                || MatchValue.Of(value) is not { } canonical || !values.Contains(canonical))
            {
                return false;
            }
        }
        return true;
    }
}
