using System;
using System.Text.Json;

namespace Cairn.Client.Internal
{
    /// <summary>Writes one canonical event (docs/ingest.md) with a <see cref="Utf8JsonWriter"/>: no reflection, one array allocated.</summary>
    internal static class EventJson
    {
        [ThreadStatic]
        private static BufferWriter? _buffer;

        [ThreadStatic]
        private static Utf8JsonWriter? _writer;

        public static byte[] Write(Guid id, long seq, string eventType, DateTime timestamp, string? playerId, string? sessionId,
            EventData? data, string clientGuid, CairnClientOptions options)
        {
            var buffer = _buffer ??= new BufferWriter(1024);
            buffer.Clear();
            var writer = _writer;
            if (writer is null)
            {
                writer = _writer = new Utf8JsonWriter(buffer);
            }
            else
            {
                writer.Reset(buffer);
            }
            writer.WriteStartObject();
            writer.WriteString("eventId", id);
            writer.WriteString("eventType", eventType);
            writer.WriteString("timestamp", timestamp);
            if (options.Source is not null)
            {
                writer.WriteString("source", options.Source);
            }
            if (playerId is not null)
            {
                writer.WriteString("playerId", playerId);
            }
            if (sessionId is not null)
            {
                writer.WriteString("sessionId", sessionId);
            }
            if (options.AnalyticsVersion is not null)
            {
                writer.WriteString("schemaVersion", options.AnalyticsVersion);
            }
            writer.WriteStartObject("data");
            if (data is not null)
            {
                foreach (var item in data.Items)
                {
                    var value = item.Value;
                    switch (value.Kind)
                    {
                        case EventData.ValueKind.String when value.Text is null:
                            writer.WriteNull(item.Key);
                            break;
                        case EventData.ValueKind.String:
                            writer.WriteString(item.Key, value.Text);
                            break;
                        case EventData.ValueKind.Integer:
                            writer.WriteNumber(item.Key, value.Integer);
                            break;
                        case EventData.ValueKind.Number when double.IsNaN(value.Number) || double.IsInfinity(value.Number):
                            writer.WriteNull(item.Key);
                            break;
                        case EventData.ValueKind.Number:
                            writer.WriteNumber(item.Key, value.Number);
                            break;
                        default:
                            writer.WriteBoolean(item.Key, value.Integer != 0);
                            break;
                    }
                }
            }
            writer.WriteEndObject();
            if (options.Platform is not null)
            {
                writer.WriteStartObject("device");
                writer.WriteString("platform", options.Platform);
                writer.WriteEndObject();
            }
            writer.WriteStartObject("context");
            writer.WriteString("clientGuid", clientGuid);
            writer.WriteNumber("seq", seq);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
    }
}
