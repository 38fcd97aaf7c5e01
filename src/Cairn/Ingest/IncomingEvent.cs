using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Ingest;

/// <summary>One event as received: its parsed node, its size in bytes, and the raw JSON (kept only if it is rejected).</summary>
internal readonly record struct IncomingEvent(JsonNode? Node, int RawBytes, JsonElement? Raw);
