using System.Globalization;
using System.Text.Json;
using Cairn.Catalogs;

namespace Cairn.Benchmarks.Progress;

/// <summary>Events that complete a given point (from its first completion pattern), and events that trigger nothing.</summary>
internal static class CompletingEvents
{
    /// <summary>Writes the <c>eventType</c> and <c>data</c> of an event that completes <paramref name="point"/>.</summary>
    public static void WriteCompletion(Utf8JsonWriter json, PointDefinition point)
    {
        var pattern = point.Complete[0];
        json.WriteString("eventType", pattern.EventType);
        json.WritePropertyName("data");
        json.WriteStartObject();
        foreach (var (field, values) in pattern.Data)
        {
            json.WritePropertyName(field);
            WriteCanonical(json, values[0]);
        }
        json.WriteEndObject();
    }

    /// <summary>A dialogue event on a conversation no catalog uses: accepted, stored, triggers nothing.</summary>
    public static void WriteFiller(Utf8JsonWriter json, Random random)
    {
        json.WriteString("eventType", "DialogueEvent");
        json.WritePropertyName("data");
        json.WriteStartObject();
        json.WriteString("dialogueEventType", "DialogueNodeEvent");
        json.WriteNumber("conversationId", 5_000 + random.Next(1_000));
        json.WriteNumber("nodeId", random.Next(1, 80));
        json.WriteEndObject();
    }

    /// <summary>One whole event around the type and data written by <paramref name="body"/>.</summary>
    public static void WriteEvent(Utf8JsonWriter json, string game, string eventId, string playerId, DateTimeOffset timestamp, Action<Utf8JsonWriter> body)
    {
        json.WriteStartObject();
        json.WriteString("eventId", eventId);
        body(json);
        json.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("game", game);
        json.WriteString("source", "bench");
        json.WriteString("playerId", playerId);
        json.WriteString("sessionId", "s-" + playerId);
        json.WriteEndObject();
    }

    private static void WriteCanonical(Utf8JsonWriter json, string canonical)
    {
        var bare = MatchValue.Bare(canonical);
        switch (canonical[0])
        {
            case 'n':
                json.WriteNumberValue(double.Parse(bare, CultureInfo.InvariantCulture));
                break;
            case 'b':
                json.WriteBooleanValue(bare == "true");
                break;
            default:
                json.WriteStringValue(bare);
                break;
        }
    }
}
