using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Cairn.Catalogs;

/// <summary>
/// A catalog's triggers compiled into hash lookups. Matching an event costs one lookup per distinct set of
/// fields its event type is matched on (usually one), whatever the number of points: no scan, no store read.
/// </summary>
internal sealed class TriggerIndex
{
    private const char Separator = '\u001f';

    private enum Role
    {
        Complete,
        Start,
        Count,
    }

    private readonly record struct Hit(string PointId, Role Role, string Prefix);

    private sealed record Signature(string[] Fields, FrozenDictionary<string, Hit[]> Hits);

    private readonly FrozenDictionary<string, Signature[]> _byType;
    private readonly IReadOnlyList<PointDefinition> _points;
    private readonly FrozenDictionary<string, PointDefinition> _byId;

    public TriggerIndex(IReadOnlyList<PointDefinition> points)
    {
        _points = points;
        _byId = points.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        var build = new Dictionary<string, Dictionary<string, (string[] Fields, Dictionary<string, List<Hit>> Hits)>>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            foreach (var pattern in point.Complete)
            {
                Add(build, pattern, new Hit(point.Id, Role.Complete, PrefixOf(pattern.EventType)));
            }
            if (point.Start is { } start)
            {
                Add(build, start, new Hit(point.Id, Role.Start, PrefixOf(start.EventType)));
            }
            if (point.Count is { } count)
            {
                Add(build, count, new Hit(point.Id, Role.Count, PrefixOf(count.EventType)));
            }
        }
        _byType = build.ToFrozenDictionary(
            t => t.Key,
            t => t.Value.Values.Select(s => new Signature(s.Fields, s.Hits.ToFrozenDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.Ordinal))).ToArray(),
            StringComparer.Ordinal);
    }

    private static void Add(
        Dictionary<string, Dictionary<string, (string[] Fields, Dictionary<string, List<Hit>> Hits)>> build, EventPattern pattern, Hit hit)
    {
        if (!build.TryGetValue(pattern.EventType, out var signatures))
        {
            build[pattern.EventType] = signatures = new(StringComparer.Ordinal);
        }
        var fields = pattern.Data.Select(d => d.Field).ToArray();
        var signatureKey = string.Join(Separator, fields);
        if (!signatures.TryGetValue(signatureKey, out var signature))
        {
            signatures[signatureKey] = signature = (fields, new Dictionary<string, List<Hit>>(StringComparer.Ordinal));
        }
        foreach (var combination in Combinations(pattern.Data.Select(d => d.Values).ToList(), 0))
        {
            var key = string.Join(Separator, combination);
            if (!signature.Hits.TryGetValue(key, out var hits))
            {
                signature.Hits[key] = hits = [];
            }
            hits.Add(hit);
        }
    }

    private static IEnumerable<List<string>> Combinations(List<IReadOnlyList<string>> values, int index)
    {
        if (index == values.Count)
        {
            yield return [];
            yield break;
        }
        foreach (var rest in Combinations(values, index + 1))
        {
            foreach (var value in values[index])
            {
                yield return [value, .. rest];
            }
        }
    }

    /// <summary><c>DialogueEvent</c> → <c>dialogue</c>: the eventKey's family name (other names stay as they are).</summary>
    private static string PrefixOf(string eventType)
    {
        var name = eventType.EndsWith("Event", StringComparison.Ordinal) && eventType.Length > 5 ? eventType[..^5] : eventType;
        return name.Length > 1 && char.IsUpper(name[0]) && char.IsLower(name[1]) ? char.ToLowerInvariant(name[0]) + name[1..] : name;
    }

    /// <summary>The points an event concerns, and its eventKey; null when it triggers nothing.</summary>
    public TriggerMatch? Match(string eventType, JsonObject? data)
    {
        switch (eventType)
        {
            case BuiltInEvents.Completed:
                var pointId = (data?["pointId"] ?? data?["progressPointId"]) is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
                return pointId is not null && _byId.ContainsKey(pointId) ? new TriggerMatch("pp:" + pointId, [pointId]) : null;
            case BuiltInEvents.Reset:
                var covered = ResetCoverage(data);
                return covered.Count > 0 ? new TriggerMatch("reset", covered) : null;
        }
        if (!_byType.TryGetValue(eventType, out var signatures))
        {
            return null;
        }
        string? eventKey = null;
        var keyRole = Role.Count;
        List<string>? points = null;
        foreach (var signature in signatures)
        {
            var values = new string[signature.Fields.Length];
            var complete = true;
            for (var i = 0; i < values.Length; i++)
            {
                if (MatchValue.Of(data?[signature.Fields[i]]) is not { } value)
                {
                    complete = false;
                    break;
                }
                values[i] = value;
            }
            if (!complete || !signature.Hits.TryGetValue(string.Join(Separator, values), out var hits))
            {
                continue;
            }
            foreach (var hit in hits)
            {
                points ??= [];
                if (!points.Contains(hit.PointId))
                {
                    points.Add(hit.PointId);
                }
                // The fingerprint is the most telling signature: a completion over a start over a count.
                if (eventKey is null || hit.Role < keyRole)
                {
                    keyRole = hit.Role;
                    eventKey = values.Length == 0 ? hit.Prefix : hit.Prefix + ":" + string.Join(':', values.Select(MatchValue.Bare));
                }
            }
        }
        return points is null ? null : new TriggerMatch(eventKey, points);
    }

    /// <summary>The points a <c>ProgressReset</c> covers: those named, or one point and all after it.</summary>
    public IReadOnlyList<string> ResetCoverage(JsonObject? data)
    {
        var covered = new List<string>();
        if (data?["pointIds"] is JsonArray ids)
        {
            foreach (var id in ids)
            {
                if (id is JsonValue v && v.TryGetValue<string>(out var text) && _byId.ContainsKey(text) && !covered.Contains(text))
                {
                    covered.Add(text);
                }
            }
        }
        if (data?["fromPointId"] is JsonValue from && from.TryGetValue<string>(out var fromId) && _byId.TryGetValue(fromId, out var first))
        {
            foreach (var point in _points)
            {
                if (point.Order >= first.Order && !covered.Contains(point.Id))
                {
                    covered.Add(point.Id);
                }
            }
        }
        return covered;
    }
}
