using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Storage;

namespace Cairn.Tests.Support;

/// <summary>Events of the MHS catalog (catalogs/mhs.yaml), as canonical JSON for ingest and as history for the calculator.</summary>
internal static class GameEvents
{
    public static readonly DateTimeOffset T0 = new(2025, 10, 6, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    public static JsonObject Dialogue(int conversationId, int nodeId) => new() { ["conversationId"] = conversationId, ["nodeId"] = nodeId };

    public static JsonObject Completed(string pointId) => new() { ["pointId"] = pointId };

    public static JsonObject ResetPoints(params string[] pointIds) => new() { ["pointIds"] = new JsonArray([.. pointIds.Select(p => (JsonNode)p)]) };

    public static JsonObject ResetFrom(string pointId) => new() { ["fromPointId"] = pointId };

    /// <summary>A canonical event for ingest (game mhs unless told).</summary>
    public static JsonObject Event(string eventId, string? playerId, double seconds, string eventType, JsonObject data, string game = "mhs")
    {
        var e = new JsonObject
        {
            ["eventId"] = eventId,
            ["eventType"] = eventType,
            ["timestamp"] = At(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["game"] = game,
            ["data"] = data,
        };
        if (playerId is not null)
        {
            e["playerId"] = playerId;
        }
        return e;
    }

    public static JsonObject DialogueEvent(string eventId, string playerId, double seconds, int conversationId, int nodeId) =>
        Event(eventId, playerId, seconds, "DialogueEvent", Dialogue(conversationId, nodeId));

    private static long _arrivals;

    /// <summary>
    /// A stored event as the materializer reads it back. Without <paramref name="seq"/> it arrives after every history
    /// event made before it: the order a test builds them in is the order the store received them.
    /// </summary>
    public static HistoryEvent History(string eventId, double seconds, string eventType, JsonObject data, long? seq = null) =>
        new(eventId, eventType, At(seconds), JsonDocument.Parse(data.ToJsonString()).RootElement.Clone(), seq ?? Interlocked.Increment(ref _arrivals));

    public static HistoryEvent DialogueHistory(string eventId, double seconds, int conversationId, int nodeId, long? seq = null) =>
        History(eventId, seconds, "DialogueEvent", Dialogue(conversationId, nodeId), seq);
}
