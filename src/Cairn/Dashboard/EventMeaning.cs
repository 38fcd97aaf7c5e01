using System.Text.Json;
using Cairn.Catalogs;

namespace Cairn.Dashboard;

/// <summary>
/// What one event meant for the game's progress points, in the drill-down's words: the name of the first catalog pattern it
/// matches (completion, start, then counted, point by point in catalog order), "marked as completed" for
/// <c>ProgressPointCompleted</c> and "reset to an earlier point" for <c>ProgressReset</c>.
/// </summary>
/// <param name="PointId">The point whose pattern it matched (null for a reset, which may name several).</param>
/// <param name="Role">completion, start, counted or reset.</param>
/// <param name="Name">The pattern's name (null when the pattern has none).</param>
internal sealed record EventMeaning(string? PointId, string? PointTitle, string Role, string? Name)
{
    public static EventMeaning? Of(GameCatalog catalog, string eventType, JsonElement data)
    {
        if (eventType == BuiltInEvents.Reset)
        {
            return new EventMeaning(null, null, "reset", "reset to an earlier point");
        }
        if (eventType == BuiltInEvents.Completed)
        {
            var id = data.ValueKind == JsonValueKind.Object
                && (data.TryGetProperty("pointId", out var p) || data.TryGetProperty("progressPointId", out p)) && p.ValueKind == JsonValueKind.String
                ? p.GetString() : null;
            var point = id is null ? null : catalog.PointsById.GetValueOrDefault(id);
            return new EventMeaning(point?.Id ?? id, point?.Title, "completion", "marked as completed");
        }
        foreach (var point in catalog.Points)
        {
            if (point.Complete.FirstOrDefault(c => PatternMatcher.Matches(c, eventType, data)) is { } complete)
            {
                return new EventMeaning(point.Id, point.Title, "completion", complete.Name);
            }
            if (point.Start is { } start && PatternMatcher.Matches(start, eventType, data))
            {
                return new EventMeaning(point.Id, point.Title, "start", start.Name);
            }
            if (point.Count is { } count && PatternMatcher.Matches(count, eventType, data))
            {
                return new EventMeaning(point.Id, point.Title, "counted", count.Name);
            }
        }
        return null;
    }
}
