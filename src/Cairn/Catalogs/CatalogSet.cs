using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Cairn.Catalogs;

/// <summary>The catalogs in force: an immutable snapshot, swapped whole on reload.</summary>
internal sealed class CatalogSet
{
    public static readonly CatalogSet Empty = new([]);

    public CatalogSet(IEnumerable<GameCatalog> games)
    {
        Games = games.ToFrozenDictionary(g => g.Game, StringComparer.Ordinal);
        Schemas = new EventSchemas(Games.Values
            .SelectMany(g => g.Schemas.Select(s => (Key: (g.Game, s.Key), s.Value)))
            .ToDictionary(x => x.Key, x => x.Value));
    }

    public FrozenDictionary<string, GameCatalog> Games { get; }

    public EventSchemas Schemas { get; }

    public GameCatalog? For(string game) => Games.GetValueOrDefault(game);

    /// <summary>Constant-time trigger lookup for one event of a game.</summary>
    public TriggerMatch? Match(string game, string eventType, JsonObject? data) =>
        Games.TryGetValue(game, out var catalog) ? catalog.Triggers.Match(eventType, data) : null;
}
