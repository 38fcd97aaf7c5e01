using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Tests.Support;

/// <summary>Builds canonical events for tests.</summary>
internal static class Events
{
    public static readonly DateTimeOffset BaseTime = new(2025, 9, 29, 22, 2, 51, TimeSpan.Zero);

    public static JsonObject Canonical(string eventId, string? playerId = "alice@example.com", DateTimeOffset? at = null, string game = TestServer.Game)
    {
        var e = new JsonObject
        {
            ["eventId"] = eventId,
            ["eventType"] = "levelComplete",
            ["timestamp"] = (at ?? BaseTime).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["game"] = game,
            ["data"] = new JsonObject { ["level"] = 3, ["score"] = 87 },
        };
        if (playerId is not null)
        {
            e["playerId"] = playerId;
        }
        return e;
    }

    public static string Array(params JsonObject[] events) => new JsonArray([.. events.Select(e => e.DeepClone())]).ToJsonString();

    public static string NewId() => "evt_" + Guid.NewGuid().ToString("N");
}
