using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Ingest;

/// <summary>
/// One event as received: its parsed node, its size in bytes, and the raw JSON (kept only if it is rejected).
/// <paramref name="Problem"/> is set when the input could not become an event at all (not JSON, or JSON no part
/// of the server can carry, see <see cref="JsonHazards"/>): the event is rejected with it, and the quarantine keeps
/// only the input's size and a keyed hash.
/// </summary>
internal readonly record struct IncomingEvent(JsonNode? Node, int RawBytes, JsonElement? Raw, EventError? Problem = null)
{
    /// <summary>The event of one JSON element of a request or file, or its hazard.</summary>
    public static IncomingEvent FromElement(JsonElement element, int rawBytes)
    {
        if (JsonHazards.Find(element) is { } problem)
        {
            return new IncomingEvent(null, rawBytes, element, problem);
        }
        return new IncomingEvent(element.ValueKind == JsonValueKind.Object ? JsonObject.Create(element) : null, rawBytes, element);
    }
}
