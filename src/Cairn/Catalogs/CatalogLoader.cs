using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>
/// Reads game catalogs (one YAML file per game). For now it reads the <c>game</c> id and the
/// <c>eventTypes</c> schemas; other sections are left for the progress materializer.
/// </summary>
internal static class CatalogLoader
{
    private static readonly HashSet<string> TopLevelKeys = ["game", "version", "title", "eventTypes", "units", "points"];

    public static EventSchemas LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return EventSchemas.Empty;
        }
        var all = new Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml")).Order(StringComparer.Ordinal))
        {
            foreach (var (key, value) in LoadSchemas(file, File.ReadAllText(file)))
            {
                all[key] = value;
            }
        }
        return new EventSchemas(all);
    }

    public static Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>> LoadSchemas(string fileName, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new CatalogException(fileName, (int)ex.Start.Line, $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CatalogException(fileName, 1, "a catalog must be a mapping with at least a 'game' key");
        }
        string? game = null;
        var result = new Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>>();
        YamlMappingNode? eventTypes = null;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = Scalar(fileName, keyNode);
            if (!TopLevelKeys.Contains(key))
            {
                throw new CatalogException(fileName, Line(keyNode), $"unknown key '{key}' (expected one of: {string.Join(", ", TopLevelKeys)})");
            }
            if (key == "game")
            {
                game = Scalar(fileName, valueNode);
            }
            else if (key == "eventTypes")
            {
                eventTypes = valueNode as YamlMappingNode
                    ?? throw new CatalogException(fileName, Line(valueNode), "'eventTypes' must be a mapping of event type to its fields");
            }
        }
        if (string.IsNullOrWhiteSpace(game))
        {
            throw new CatalogException(fileName, Line(root), "missing 'game'");
        }
        if (eventTypes is null)
        {
            return result;
        }
        foreach (var (typeNode, body) in eventTypes.Children)
        {
            var eventType = Scalar(fileName, typeNode);
            if (body is not YamlMappingNode bodyMap)
            {
                throw new CatalogException(fileName, Line(body), $"event type '{eventType}' must be a mapping with a 'data' key");
            }
            var fields = new Dictionary<string, FieldType>(StringComparer.Ordinal);
            foreach (var (sectionNode, sectionBody) in bodyMap.Children)
            {
                var section = Scalar(fileName, sectionNode);
                if (section != "data")
                {
                    throw new CatalogException(fileName, Line(sectionNode), $"unknown key '{section}' under event type '{eventType}' (expected 'data')");
                }
                if (sectionBody is not YamlMappingNode dataMap)
                {
                    throw new CatalogException(fileName, Line(sectionBody), $"'data' of '{eventType}' must map field names to types");
                }
                foreach (var (fieldNode, typeValue) in dataMap.Children)
                {
                    var field = Scalar(fileName, fieldNode);
                    var typeName = Scalar(fileName, typeValue);
                    fields[field] = typeName switch
                    {
                        "string" => FieldType.String,
                        "integer" => FieldType.Integer,
                        "number" => FieldType.Number,
                        "boolean" => FieldType.Boolean,
                        _ => throw new CatalogException(fileName, Line(typeValue),
                            $"field '{field}' of '{eventType}' has type '{typeName}' (expected string, integer, number or boolean)"),
                    };
                }
            }
            result[(game, eventType)] = fields;
        }
        return result;
    }

    private static string Scalar(string fileName, YamlNode node) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new CatalogException(fileName, Line(node), "expected a plain value here");

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
