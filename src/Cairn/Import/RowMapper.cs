using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Import;

/// <summary>Applies an <see cref="ImportMapping"/> to one row (a CSV record or a JSON object) to make an event object.</summary>
internal sealed class RowMapper
{
    private readonly ImportMapping _mapping;
    private readonly Func<string, string>? _keyedHash;
    private readonly HashSet<string> _jsonColumns;
    private readonly TimestampZone _zone;
    private readonly Dictionary<string, List<Template.Part>> _templates = new(StringComparer.Ordinal);

    /// <param name="mapping">The mapping; one that <see cref="ImportMapping.Problem"/> finds wrong is an <see cref="ImportException"/>.</param>
    /// <param name="keyedHash">
    /// What <c>{hmac:col}</c> puts in place of a value: a keyed hash that stays the same for the same value and pepper, so
    /// re-imports make the same ids (the importer passes <see cref="Identity.PlayerKeys.TemplateHash"/>).
    /// </param>
    public RowMapper(ImportMapping mapping, Func<string, string>? keyedHash = null)
    {
        if (mapping.Problem() is { } problem)
        {
            throw new ImportException($"the mapping's {string.Join('.', problem.Key)}: {problem.Message}");
        }
        _mapping = mapping;
        _keyedHash = keyedHash;
        _jsonColumns = new(mapping.JsonColumns, StringComparer.Ordinal);
        _zone = mapping.Timestamp is { } timestamp ? TimestampZone.Parse(timestamp.Zone)! : TimestampZone.Utc;
        foreach (var (path, expression) in mapping.Fields.Where(f => Template.IsTemplate(f.Value)))
        {
            var parts = Template.Parse(expression)!;
            if (keyedHash is null && parts.Any(p => p.Hash == Template.Hmac))
            {
                throw new ImportException($"'{path}' uses {{hmac:…}}, which needs the pepper; this import has none");
            }
            _templates[path] = parts;
        }
    }

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
        var mapping = _mapping;
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
                var value = _templates.TryGetValue(path, out var parts) ? Fill(row, parts) : Resolve(row, expression);
                if (value is not null)
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
            && _zone.TryParse(text, format, out var instant))
        {
            e["timestamp"] = instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        }
        foreach (var path in mapping.Drop)
        {
            RemovePath(e, path);
        }
        return e;
    }

    /// <summary>A template's text, or null when a column it reads is missing.</summary>
    private JsonValue? Fill(JsonObject row, List<Template.Part> parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            if (!part.IsColumn)
            {
                builder.Append(part.Text);
                continue;
            }
            if (Resolve(row, part.Text) is not JsonValue value)
            {
                return null;
            }
            var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
            builder.Append(part.Hash switch
            {
                Template.Hmac => _keyedHash!(text),
                Template.Sha256 => Sha256Of(text),
                _ => text,
            });
        }
        return JsonValue.Create(builder.ToString());
    }

    private static JsonNode? Resolve(JsonObject row, string expression)
    {
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

    /// <summary><c>{sha256:col}</c>: anyone can compute it, so the mapping refuses it for the player's column (see <see cref="ImportMapping.Problem"/>).</summary>
    private static string Sha256Of(string text) =>
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
}
