using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cairn.Client.Internal
{
    /// <summary>
    /// The server's deterministic sampling decision (src/Cairn/Ingest/Sampling/Sampler.cs): u = the first 8 bytes of SHA-256
    /// over the UTF-8 of playerKey + eventType, big-endian, / 2^64; keep when u &lt; rate.
    /// </summary>
    internal static class Sampler
    {
        [ThreadStatic]
        private static SHA256? _sha;

        public static double Position(string playerKey, string eventType)
        {
            var input = Encoding.UTF8.GetBytes(playerKey + eventType);
            var sha = _sha ??= SHA256.Create();
            var hash = sha.ComputeHash(input);
            return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
        }

        public static bool Keep(string playerKey, string eventType, double rate) =>
            rate >= 1 || (rate > 0 && Position(playerKey, eventType) < rate);
    }

    /// <summary>The rules of <c>GET /v1/config/sampling</c>: the first rule naming an event type (or listing it in its category) gives its rate.</summary>
    internal sealed class SamplingRules
    {
        private readonly List<(string? EventType, HashSet<string>? EventTypes, double Rate)> _rules;

        private SamplingRules(List<(string?, HashSet<string>?, double)> rules) => _rules = rules;

        /// <summary>The rate of an event type, null when no rule matches (the server keeps such events).</summary>
        public double? RateOf(string eventType)
        {
            foreach (var (type, types, rate) in _rules)
            {
                if ((type is not null && string.Equals(type, eventType, StringComparison.Ordinal)) || (types is not null && types.Contains(eventType)))
                {
                    return rate;
                }
            }
            return null;
        }

        public static SamplingRules Parse(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var rules = new List<(string?, HashSet<string>?, double)>();
            if (document.RootElement.TryGetProperty("rules", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var rule in list.EnumerateArray())
                {
                    var type = rule.TryGetProperty("eventType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    HashSet<string>? types = null;
                    if (rule.TryGetProperty("eventTypes", out var ts) && ts.ValueKind == JsonValueKind.Array)
                    {
                        types = new HashSet<string>(StringComparer.Ordinal);
                        foreach (var item in ts.EnumerateArray())
                        {
                            types.Add(item.GetString() ?? "");
                        }
                    }
                    var rate = rule.TryGetProperty("rate", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : 1;
                    rules.Add((type, types, rate));
                }
            }
            return new SamplingRules(rules);
        }
    }
}
