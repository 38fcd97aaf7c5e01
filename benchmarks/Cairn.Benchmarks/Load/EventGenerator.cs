using System.Globalization;
using System.Text.Json;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// Realistic canonical events (~300 bytes each) for the game <c>mhs</c>: dialogue, quest, position and
/// progress events from a pool of players, with unique event ids. Deterministic for a given seed, so two
/// runs send the same bytes.
/// </summary>
internal static class EventGenerator
{
    public const string Game = "mhs";

    /// <summary>The catalog the load server and the micro-benchmarks load, so schema coercion runs as in production.</summary>
    public const string CatalogYaml = """
        game: mhs
        title: Benchmark catalog
        eventTypes:
          DialogueEvent:
            data: { dialogueEventType: string, conversationId: integer, nodeId: integer, actor: string }
          QuestEvent:
            data: { questId: string, status: string, step: integer }
          PositionEvent:
            data: { scene: string, x: number, y: number, z: number }
          ProgressEvent:
            data: { unitId: string, pointId: string, score: number, maxScore: number, completed: boolean }
        """;

    private static readonly string[] Actors = ["Ranger Ana", "Dr. Okafor", "Mayor Lin", "Sam the guide"];
    private static readonly string[] QuestStatus = ["started", "step", "completed", "abandoned"];
    private static readonly string[] Scenes = ["Harbor", "Forest_Trail", "Lab_Interior", "Town_Square"];
    private static readonly string[] Platforms = ["WebGL", "WindowsPlayer", "OSXPlayer", "Android"];

    private static readonly DateTimeOffset Start = new(2025, 9, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Request bodies (JSON arrays of <paramref name="batch"/> events) for <paramref name="count"/> events.</summary>
    public static byte[][] Bodies(string idPrefix, int count, int batch, int players, int seed)
    {
        var random = new Random(seed);
        var bodies = new byte[(count + batch - 1) / batch][];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(batch * 400);
        for (var b = 0; b < bodies.Length; b++)
        {
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                var end = Math.Min(count, (b + 1) * batch);
                for (var i = b * batch; i < end; i++)
                {
                    WriteEvent(json, idPrefix, i, random, players);
                }
                json.WriteEndArray();
            }
            bodies[b] = buffer.WrittenSpan.ToArray();
        }
        return bodies;
    }

    private static void WriteEvent(Utf8JsonWriter json, string idPrefix, int i, Random random, int players)
    {
        var player = random.Next(players);
        json.WriteStartObject();
        json.WriteString("eventId", $"{idPrefix}-{i:D9}-{random.Next(0x10000):x4}");
        var kind = random.Next(4);
        json.WriteString("eventType", kind switch { 0 => "DialogueEvent", 1 => "QuestEvent", 2 => "PositionEvent", _ => "ProgressEvent" });
        json.WriteString("timestamp", Start.AddMilliseconds(i * 37L).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("game", Game);
        json.WriteString("source", "mhs-web");
        json.WriteString("playerId", $"s{player:D5}@school.org");
        json.WriteString("sessionId", $"{player:x}-{i / 5000}");
        json.WritePropertyName("data");
        json.WriteStartObject();
        switch (kind)
        {
            case 0:
                json.WriteString("dialogueEventType", "DialogueNodeEvent");
                json.WriteNumber("conversationId", random.Next(1, 200));
                json.WriteNumber("nodeId", random.Next(1, 80));
                json.WriteString("actor", Actors[random.Next(Actors.Length)]);
                break;
            case 1:
                json.WriteString("questId", $"Q{random.Next(1, 40)}");
                json.WriteString("status", QuestStatus[random.Next(QuestStatus.Length)]);
                json.WriteNumber("step", random.Next(1, 12));
                break;
            case 2:
                json.WriteString("scene", Scenes[random.Next(Scenes.Length)]);
                json.WriteNumber("x", Math.Round(random.NextDouble() * 500, 2));
                json.WriteNumber("y", Math.Round(random.NextDouble() * 20, 2));
                json.WriteNumber("z", Math.Round(random.NextDouble() * 500, 2));
                break;
            default:
                json.WriteString("unitId", $"U{random.Next(1, 9)}");
                json.WriteString("pointId", $"U{random.Next(1, 9)}.P{random.Next(1, 20)}");
                var max = 10 * random.Next(1, 11);
                json.WriteNumber("score", random.Next(max + 1));
                json.WriteNumber("maxScore", max);
                json.WriteBoolean("completed", random.Next(3) == 0);
                break;
        }
        json.WriteEndObject();
        json.WritePropertyName("device");
        json.WriteStartObject();
        json.WriteString("platform", Platforms[player % Platforms.Length]);
        json.WriteEndObject();
        json.WritePropertyName("context");
        json.WriteStartObject();
        json.WriteString("classId", $"c-{player % 60}");
        json.WriteEndObject();
        json.WriteString("schemaVersion", "1.0.0");
        json.WriteEndObject();
    }
}
