using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Cairn.Import;

/// <summary>
/// How the rows of an export become canonical events. Kept in a small YAML file beside the data
/// (see mappings/waves.yaml and docs/importing.md).
/// </summary>
internal sealed class ImportMapping
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

        /// <summary>The zone of zone-less times: UTC, an offset like +02:00, or an IANA zone id.</summary>
        public string Zone { get; set; } = "UTC";
    }

    public static ImportMapping Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ImportException($"mapping file '{path}' does not exist");
        }
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        try
        {
            return deserializer.Deserialize<ImportMapping>(File.ReadAllText(path)) ?? new ImportMapping();
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new ImportException($"{path}:{ex.Start.Line}: {reason}");
        }
    }
}
