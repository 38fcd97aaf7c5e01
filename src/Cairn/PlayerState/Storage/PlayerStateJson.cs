using System.Text.Json;

namespace Cairn.PlayerState.Storage;

/// <summary>How a state document is written to and read from its JSON column (the same on both stores).</summary>
internal static class PlayerStateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(PlayerStateDocument state) => JsonSerializer.Serialize(state, Options);

    public static PlayerStateDocument Read(string json) => JsonSerializer.Deserialize<PlayerStateDocument>(json, Options)!;
}
