using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Progress;

/// <summary>
/// Computes one (player, point) from that player's history, exactly as ARCHITECTURE §4 says. A pure function
/// of the events, sorted by timestamp and then by arrival (the store's sequence), so duplicates and replays cannot change
/// it, and the order events arrive in decides only between events of the same timestamp.
/// </summary>
internal static class ProgressCalculator
{
    public const string Green = ProgressStatus.Green;
    public const string Yellow = ProgressStatus.Yellow;
    public const string Started = ProgressStatus.Started;

    /// <returns>The row: green or yellow once completed, started after its start event; null when neither (white).</returns>
    public static ProgressRow? Compute(
        GameCatalog catalog, PointDefinition point, string orgId, string playerKey, IEnumerable<HistoryEvent> history, DateTimeOffset now) =>
        Explain(catalog, point, orgId, playerKey, history, now).Row;

    /// <summary>The row and the events that decided it: the reset it follows, the start, the completion, the counted events.</summary>
    public static ProgressExplanation Explain(
        GameCatalog catalog, PointDefinition point, string orgId, string playerKey, IEnumerable<HistoryEvent> history, DateTimeOffset now)
    {
        var events = history.OrderBy(e => e.Timestamp).ThenBy(e => e.Seq).ToList();

        // Only what happened after the last reset that covers this point counts.
        var from = 0;
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].EventType == BuiltInEvents.Reset && catalog.Triggers.ResetCoverage(AsObject(events[i].Data)).Contains(point.Id))
            {
                from = i + 1;
                break;
            }
        }

        var completion = -1;
        for (var i = from; i < events.Count; i++)
        {
            if (Completes(point, events[i]))
            {
                completion = i;
                break;
            }
        }
        var reset = from > 0 ? events[from - 1] : null;
        if (completion < 0)
        {
            // Not completed: started when a start event happened since the reset (the latest one says since when).
            for (var i = events.Count - 1; i >= from; i--)
            {
                if (PatternMatcher.Matches(point.Start, events[i].EventType, events[i].Data))
                {
                    var started = new ProgressRow(orgId, catalog.Game, playerKey, point.Id, Started, null, null, null,
                        events[i].Timestamp, point.Version, events[i].EventId, now, events[i].Timestamp);
                    return new ProgressExplanation(started, reset, events[i], null, []);
                }
            }
            return new ProgressExplanation(null, reset, null, null, []);
        }

        var start = -1;
        for (var i = completion - 1; i >= from; i--)
        {
            if (PatternMatcher.Matches(point.Start, events[i].EventType, events[i].Data))
            {
                start = i;
                break;
            }
        }
        double? duration = start >= 0 ? (events[completion].Timestamp - events[start].Timestamp).TotalSeconds : null;
        int? count = null;
        var counted = new List<HistoryEvent>();
        if (point.Count is not null)
        {
            for (var i = Math.Max(start + 1, from); i <= completion; i++)
            {
                if (PatternMatcher.Matches(point.Count, events[i].EventType, events[i].Data))
                {
                    counted.Add(events[i]);
                }
            }
            count = counted.Count;
        }

        var green = point.Green;
        var isGreen =
            (!green.HasDuration || (duration is { } d && (green.DurationMin is null || d >= green.DurationMin) && (green.DurationMax is null || d <= green.DurationMax)))
            && (!green.HasCount || (count is { } c && (green.CountMin is null || c >= green.CountMin) && (green.CountMax is null || c <= green.CountMax)));
        double? score = green.HasDuration ? duration : green.HasCount ? count : null;

        var row = new ProgressRow(
            orgId, catalog.Game, playerKey, point.Id, isGreen ? Green : Yellow, score, duration, count,
            events[completion].Timestamp, point.Version, events[completion].EventId, now, start >= 0 ? events[start].Timestamp : null);
        return new ProgressExplanation(row, reset, start >= 0 ? events[start] : null, events[completion], counted);
    }

    private static bool Completes(PointDefinition point, HistoryEvent e)
    {
        if (e.EventType == BuiltInEvents.Completed)
        {
            return e.Data.ValueKind == JsonValueKind.Object
                && (e.Data.TryGetProperty("pointId", out var id) || e.Data.TryGetProperty("progressPointId", out id))
                && id.ValueKind == JsonValueKind.String && id.GetString() == point.Id;
        }
        foreach (var pattern in point.Complete)
        {
            if (PatternMatcher.Matches(pattern, e.EventType, e.Data))
            {
                return true;
            }
        }
        return false;
    }

    private static JsonObject? AsObject(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object ? JsonObject.Create(data) : null;
}
