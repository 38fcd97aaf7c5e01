using System.Text.Json;
using Cairn.Catalogs;

namespace Cairn.Schemas;

/// <summary>
/// The field types the normalizer coerces quoted values to ("95" → 95): a catalog's <c>eventTypes</c> declaration, and for an
/// event type the catalog does not declare, the top-level <c>properties</c> of the latest version of its JSON Schema whose
/// <c>type</c> is exactly <c>integer</c>, <c>number</c> or <c>boolean</c>; for a type with neither, the default registry's schema
/// (<see cref="TaxonomySchemas"/>). Rebuilt only when the catalogs or the schemas were reloaded.
/// </summary>
internal sealed class CoercionTypes(CatalogRegistry catalogs, EventSchemaRegistry? schemas)
{
    private sealed record Cached(CatalogSet Catalogs, SchemaSet Schemas, EventSchemas Merged);

    private volatile Cached? _cached;

    public EventSchemas Current()
    {
        var catalogSet = catalogs.Current;
        var schemaSet = schemas?.Current ?? SchemaSet.Empty;
        var cached = _cached;
        if (cached is not null && ReferenceEquals(cached.Catalogs, catalogSet) && ReferenceEquals(cached.Schemas, schemaSet))
        {
            return cached.Merged;
        }
        var merged = schemaSet.Count == 0 && schemaSet.Defaults.Count == 0 ? catalogSet.Schemas : Merge(catalogSet, schemaSet);
        _cached = new Cached(catalogSet, schemaSet, merged);
        return merged;
    }

    private static EventSchemas Merge(CatalogSet catalogSet, SchemaSet schemaSet)
    {
        var all = new Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>>();
        // The defaults are keyed under the game "*", which EventSchemas.For falls back to for a game with nothing of its own.
        foreach (var latest in schemaSet.Defaults.Values.Concat(schemaSet.All.GroupBy(s => (s.Game, s.EventType)).Select(g => g.Last())))
        {
            var fields = new Dictionary<string, FieldType>(StringComparer.Ordinal);
            foreach (var (name, property) in latest.Source["properties"] as System.Text.Json.Nodes.JsonObject ?? [])
            {
                var type = property?["type"] is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                FieldType? field = type switch { "integer" => FieldType.Integer, "number" => FieldType.Number, "boolean" => FieldType.Boolean, _ => null };
                if (field is { } f)
                {
                    fields[name] = f;
                }
            }
            if (fields.Count > 0)
            {
                all[(latest.Game, latest.EventType)] = fields;
            }
        }
        foreach (var game in catalogSet.Games.Values)
        {
            foreach (var (eventType, fields) in game.Schemas)
            {
                all[(game.Game, eventType)] = fields;
            }
        }
        return new EventSchemas(all);
    }
}
