using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Cairn.Import;

/// <summary>
/// How the rows of an export become canonical events. Kept in a small YAML file beside the data
/// (see mappings/waves.yaml and docs/importing.md).
/// </summary>
internal sealed partial class ImportMapping
{
    /// <summary>jsonl, json, csv or tsv; by default taken from the file name.</summary>
    public string? Format { get; set; }

    /// <summary>The game every row belongs to (the import's scope).</summary>
    public string? Game { get; set; }

    /// <summary>The system of record, part of the idempotency key (org, source, eventId).</summary>
    public string? Source { get; set; }

    /// <summary>Canonical field path → a column (<c>col</c>, or <c>col.sub</c> inside a JSON column) or a template (<c>{a}-{b}</c>).</summary>
    public Dictionary<string, string> Fields { get; set; } = [];

    /// <summary>Canonical field path → a fixed value.</summary>
    public Dictionary<string, string> Constants { get; set; } = [];

    /// <summary>Columns holding JSON encoded as a string (the double-encoding problem), decoded before mapping.</summary>
    public List<string> JsonColumns { get; set; } = [];

    /// <summary>Canonical paths removed after mapping, such as personal data (<c>data.remote_addr</c>).</summary>
    public List<string> Drop { get; set; } = [];

    /// <summary>How to read the timestamp column when it is not RFC 3339.</summary>
    public TimestampMapping? Timestamp { get; set; }

    internal sealed class TimestampMapping
    {
        /// <summary>A .NET exact format, e.g. <c>yyyy-MM-dd HH:mm:ss.ffffff</c>.</summary>
        public string? Format { get; set; }

        /// <summary>The zone of zone-less times: UTC, an offset (+2, +0200, +02:00, UTC+2) or an IANA zone id; an offset in the text wins.</summary>
        public string Zone { get; set; } = "UTC";
    }

    public static ImportMapping Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ImportException($"{path}: the mapping file does not exist");
        }
        var text = File.ReadAllText(path);
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        ImportMapping mapping;
        try
        {
            mapping = deserializer.Deserialize<ImportMapping>(text) ?? new ImportMapping();
        }
        catch (YamlException ex)
        {
            throw ImportException.At(path, ex.Start.Line, ex.Start.Column, Reason(ex));
        }
        if (mapping.Problem() is { } problem)
        {
            var (line, column) = Position(text, problem.Key);
            throw ImportException.At(path, line, column, problem.Message);
        }
        return mapping;
    }

    /// <summary>YamlDotNet's message in the words of the mapping file: the place is already in front of it.</summary>
    private static string Reason(YamlException ex)
    {
        var message = YamlPlace().Replace(ex.InnerException?.Message ?? ex.Message, "");
        if (UnknownKey().Match(message) is { Success: true } unknown)
        {
            return $"unknown key '{unknown.Groups[1].Value}' (expected format, game, source, jsonColumns, fields, constants, timestamp or drop)";
        }
        if (message.StartsWith("Expected 'MappingStart'", StringComparison.Ordinal))
        {
            return "expected 'key: value' entries here";
        }
        if (message.Contains("System.Collections.Generic.List", StringComparison.Ordinal))
        {
            return "expected a list here, such as [a, b]";
        }
        if (WrongType().IsMatch(message) || message.Contains("type 'System.String'", StringComparison.Ordinal))
        {
            return "expected a single value here";
        }
        return message;
    }

    [GeneratedRegex(@"\s*\(at Line: \d+, Col: \d+, Idx: \d+\)")]
    private static partial Regex YamlPlace();

    [GeneratedRegex(@"^Property '(.+)' not found on type")]
    private static partial Regex UnknownKey();

    [GeneratedRegex(@"^No node deserializer was able to deserialize the node into type System\.String\b")]
    private static partial Regex WrongType();

    /// <summary>The first thing wrong with the mapping, with the YAML keys that lead to it; null when it can be used.</summary>
    public (string[] Key, string Message)? Problem()
    {
        if (Timestamp is { } timestamp && TimestampZone.Parse(timestamp.Zone) is null)
        {
            return (["timestamp", "zone"], $"unknown time zone '{timestamp.Zone}' (expected {TimestampZone.Expected})");
        }
        var playerColumns = Fields.TryGetValue("playerId", out var player) ? ColumnsOf(player) : [];
        foreach (var (path, expression) in Fields)
        {
            if (Template.Parse(expression) is not { } parts)
            {
                return (["fields", path], $"the template '{expression}' of '{path}' has a '{{' without a '}}'");
            }
            if (path == "playerId")
            {
                continue;
            }
            foreach (var (column, _, hash) in parts.Where(p => p.IsColumn))
            {
                if (!playerColumns.Contains(column) || hash == Template.Hmac)
                {
                    continue;
                }
                return (["fields", path], hash == Template.Sha256
                    ? $"'{path}' uses {{sha256:{column}}}, a plain hash of the player identity (fields.playerId): anyone can reverse it by " +
                      $"hashing candidate ids. Use {{hmac:{column}}}, keyed with the pepper"
                    : $"'{path}' copies the player identity '{column}' (fields.playerId), which is only stored pseudonymized; use {{hmac:{column}}}");
            }
        }
        return null;
    }

    /// <summary>The columns an expression reads: the placeholders of a template, or the expression itself.</summary>
    private static HashSet<string> ColumnsOf(string expression) =>
        new((Template.Parse(expression) ?? []).Where(p => p.IsColumn).Select(p => p.Text), StringComparer.Ordinal);

    /// <summary>Where the value at a key path starts in the YAML text (1-based line and column); the start of the file if it is not found.</summary>
    private static (long Line, long Column) Position(string yaml, string[] key)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        YamlNode? node = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        foreach (var name in key)
        {
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(name), out var child) ? child : null;
        }
        return node is null ? (1, 1) : (node.Start.Line, node.Start.Column);
    }
}
