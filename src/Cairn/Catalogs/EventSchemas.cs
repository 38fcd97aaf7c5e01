using System.Collections.Frozen;

namespace Cairn.Catalogs;

/// <summary>
/// Declared field types per (game, eventType), read from the catalogs' <c>eventTypes</c> sections.
/// The normalizer coerces quoted values ("95" → 95) only where a schema says so, never by guessing.
/// </summary>
internal sealed class EventSchemas
{
    public static readonly EventSchemas Empty = new(new Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>>());

    private readonly FrozenDictionary<(string Game, string EventType), IReadOnlyDictionary<string, FieldType>> _schemas;

    public EventSchemas(IDictionary<(string Game, string EventType), IReadOnlyDictionary<string, FieldType>> schemas)
    {
        _schemas = schemas.ToFrozenDictionary();
    }

    public int Count => _schemas.Count;

    /// <summary>The field types of a game's event type; else those of the default registry (game <c>*</c>), if any.</summary>
    public IReadOnlyDictionary<string, FieldType>? For(string game, string eventType) =>
        _schemas.TryGetValue((game, eventType), out var fields) || _schemas.TryGetValue(("*", eventType), out fields) ? fields : null;
}
