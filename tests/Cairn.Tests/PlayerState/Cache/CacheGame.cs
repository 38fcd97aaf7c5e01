using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Tests.PlayerState.Cache;

/// <summary>A small game for the cache tests: coins (a counter) and items (the inventory), events timed around now.</summary>
internal static class CacheGame
{
    public const string Game = "cache-game";

    public const string Catalog = """
        game: cache-game
        title: Cache Game
        eventTypes:
          coin_found:
            data: { count: integer }
          item_collected:
            data: { contentId: string }
        state:
          rules:
            - on: { eventType: coin_found }
              addCounter: { counter: coins, amount: { field: count } }
            - on: { eventType: item_collected }
              addItem: { field: contentId }
        """;

    public static IReadOnlyDictionary<string, string> Catalogs => new Dictionary<string, string> { ["cache-game.yaml"] = Catalog };

    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-30);

    public static JsonObject Coin(string player, int n, int count = 1) => Event(player, n, "coin_found", new JsonObject { ["count"] = count });

    public static JsonObject Item(string player, int n, string item) => Event(player, n, "item_collected", new JsonObject { ["contentId"] = item });

    private static JsonObject Event(string player, int n, string type, JsonObject data) => new()
    {
        ["eventId"] = $"{type}-{n}-{Guid.NewGuid():N}",
        ["eventType"] = type,
        ["timestamp"] = Start.AddSeconds(n).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["game"] = Game,
        ["playerId"] = player,
        ["data"] = data,
    };
}
