using System.Text.Json.Nodes;
using Json.Schema;

namespace Cairn.Schemas;

/// <summary>One loaded schema file: the compiled validator of an event type's <c>data</c> at one version, and its source (for the compatibility check).</summary>
internal sealed record RegisteredSchema(string Game, string EventType, SchemaVersion Version, string File, JsonSchema Compiled, JsonObject Source);
