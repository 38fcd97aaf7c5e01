using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Import;

/// <summary>Applies an <see cref="ImportMapping"/> to one row (a CSV record or a JSON object) to make an event object.</summary>
internal sealed class RowMapper(ImportMapping mapping)
{
    private readonly HashSet<string> _jsonColumns = new(mapping.JsonColumns, StringComparer.Ordinal);
    private readonly TimeZoneInfo? _zone = ResolveZone(mapping.Timestamp?.Zone);
    private readonly TimeSpan? _offset = ParseOffset(mapping.Timestamp?.Zone);

    /// <summary>A row of a delimited file as a JSON object: empty cells are absent, JSON columns decoded.</summary>
    public JsonObject FromRecord(IReadOnlyList<string> header, IReadOnlyList<string> record)
    {
        var row = new JsonObject();
        for (var i = 0; i < header.Count && i < record.Count; i++)
        {
            var value = record[i];
            if (value.Length == 0 || row.ContainsKey(header[i]))
            {
                continue;
            }
            row[header[i]] = _jsonColumns.Contains(header[i]) ? DecodeJson(value) : JsonValue.Create(value);
        }
        return row;
    }

    /// <summary>A JSON input object: its JSON-string columns decoded in place.</summary>
    public JsonObject FromObject(JsonObject row)
    {
        foreach (var column in _jsonColumns)
        {
            if (row[column] is JsonValue v && v.TryGetValue<string>(out var text))
            {
                row[column] = DecodeJson(text);
            }
        }
        return row;
    }

    public JsonObject Map(JsonObject row)
    {
        JsonObject e;
        if (mapping.Fields.Count == 0)
        {
            e = row;
        }
        else
        {
            e = new JsonObject();
            foreach (var (path, expression) in mapping.Fields)
            {
                if (Resolve(row, expression) is { } value)
                {
                    SetPath(e, path, value.DeepClone());
                }
            }
        }
        foreach (var (path, value) in mapping.Constants)
        {
            SetPath(e, path, JsonValue.Create(value));
        }
        if (mapping.Game is { } game && e["game"] is null)
        {
            e["game"] = game;
        }
        if (mapping.Source is { } source && e["source"] is null)
        {
            e["source"] = source;
        }
        if (mapping.Timestamp?.Format is { } format && e["timestamp"] is JsonValue ts && ts.TryGetValue<string>(out var text)
            && DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var offset = _offset ?? _zone?.GetUtcOffset(local) ?? TimeSpan.Zero;
            e["timestamp"] = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset)
                .ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        }
        foreach (var path in mapping.Drop)
        {
            RemovePath(e, path);
        }
        return e;
    }

    private static JsonNode? Resolve(JsonObject row, string expression)
    {
        if (expression.Contains('{', StringComparison.Ordinal))
        {
            var builder = new StringBuilder();
            var i = 0;
            while (i < expression.Length)
            {
                var open = expression.IndexOf('{', i);
                if (open < 0)
                {
                    builder.Append(expression, i, expression.Length - i);
                    break;
                }
                var close = expression.IndexOf('}', open);
                if (close < 0)
                {
                    throw new ImportException($"template '{expression}' has a '{{' without a '}}'");
                }
                builder.Append(expression, i, open - i);
                var inner = expression[(open + 1)..close];
                var hash = inner.StartsWith(HashPrefix, StringComparison.Ordinal);
                if (Resolve(row, hash ? inner[HashPrefix.Length..] : inner) is not JsonValue part)
                {
                    return null;
                }
                var partText = part.GetValueKind() == JsonValueKind.String ? part.GetValue<string>() : part.ToJsonString();
                builder.Append(hash ? HashOf(partText) : partText);
                i = close + 1;
            }
            return JsonValue.Create(builder.ToString());
        }
        if (row[expression] is { } direct)
        {
            return direct;
        }
        JsonNode? node = row;
        foreach (var segment in expression.Split('.'))
        {
            node = node is JsonObject obj ? obj[segment] : null;
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    /// <summary><c>{sha256:col}</c> in a template: a column that is an identity can make an id without being stored.</summary>
    private const string HashPrefix = "sha256:";

    private static string HashOf(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..20];

    private static void SetPath(JsonObject target, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        var node = target;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (node[segments[i]] is not JsonObject child)
            {
                child = new JsonObject();
                node[segments[i]] = child;
            }
            node = child;
        }
        node[segments[^1]] = value;
    }

    private static void RemovePath(JsonObject target, string path)
    {
        var segments = path.Split('.');
        JsonObject? node = target;
        for (var i = 0; i < segments.Length - 1 && node is not null; i++)
        {
            node = node[segments[i]] as JsonObject;
        }
        node?.Remove(segments[^1]);
    }

    private static JsonNode? DecodeJson(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            // Left as a string: validation then rejects the event with a reason instead of the import failing.
            return JsonValue.Create(text);
        }
    }

    private static TimeSpan? ParseOffset(string? zone) =>
        zone is not null && (zone.StartsWith('+') || zone.StartsWith('-'))
            && TimeSpan.TryParseExact(zone[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var span)
            ? (zone[0] == '-' ? -span : span)
            : null;

    private static TimeZoneInfo? ResolveZone(string? zone)
    {
        if (zone is null || zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) || zone.StartsWith('+') || zone.StartsWith('-'))
        {
            return null;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new ImportException($"unknown time zone '{zone}' in the mapping (use UTC, an offset like +02:00, or an IANA id)");
        }
    }
}
