using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Cairn.Benchmarks.Progress;
using Cairn.Catalogs;

namespace Cairn.Benchmarks.Micro;

/// <summary>
/// What ingest asks the catalog for each event (<see cref="CatalogSet.Match"/>): which points it triggers.
/// The same mix of events against a 10-point catalog (baseline) and a 1,000-point one: the index is hashed,
/// so the cost per event must not grow with the number of points. Results are per event.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TriggerMatchBenchmarks
{
    private const int Events = 1_000;
    private const string Game = "gen";

    private (CatalogSet Set, (string Type, JsonObject? Data)[] Events) _small;
    private (CatalogSet Set, (string Type, JsonObject? Data)[] Events) _large;

    [GlobalSetup]
    public void Setup()
    {
        _small = Build(10);
        _large = Build(1_000);
    }

    /// <summary>
    /// A catalog of <paramref name="points"/> and a mix of events for it: 30 % complete a point (one of an
    /// <c>in:</c> list), 10 % start one, 40 % have a matched type but values no point uses, 20 % a type no point uses.
    /// </summary>
    private static (CatalogSet, (string, JsonObject?)[]) Build(int points)
    {
        var catalog = CatalogLoader.Load("gen.yaml", CatalogGenerator.Yaml(Game, points));
        var random = new Random(points);
        var events = new (string, JsonObject?)[Events];
        for (var i = 0; i < Events; i++)
        {
            var roll = random.Next(10);
            var p = random.Next(points) + 1;
            events[i] = roll switch
            {
                < 3 when (p - 1) % 3 == 0 => ("questEvent", Parse($$"""{"questEventType":"questFinishEvent","questId":{{p}}}""")),
                < 3 => ("DialogueEvent", Parse($$"""{"dialogueEventType":"DialogueNodeEvent","conversationId":{{p}},"nodeId":{{40 + random.Next(3)}}}""")),
                3 => ("DialogueEvent", Parse($$"""{"dialogueEventType":"DialogueNodeEvent","conversationId":{{4 * random.Next(points / 4 + 1) + 1}},"nodeId":1}""")),
                < 8 => ("DialogueEvent", Parse($$"""{"dialogueEventType":"DialogueNodeEvent","conversationId":{{p}},"nodeId":{{50 + random.Next(30)}}}""")),
                _ => ("PositionEvent", Parse($$"""{"scene":"Harbor","x":{{random.Next(500)}},"y":1.5,"z":{{random.Next(500)}}}""")),
            };
        }
        var set = new CatalogSet([catalog]);
        var matched = events.Count(e => set.Match(Game, e.Item1, e.Item2) is not null);
        if (matched < Events / 4 || matched > Events / 2)
        {
            throw new InvalidOperationException($"{matched} of {Events} events matched the {points}-point catalog; the mix is off.");
        }
        return (set, events);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public int Points10() => MatchAll(_small);

    [Benchmark(OperationsPerInvoke = Events)]
    public int Points1000() => MatchAll(_large);

    private static int MatchAll((CatalogSet Set, (string Type, JsonObject? Data)[] Events) fixture)
    {
        var matched = 0;
        foreach (var (type, data) in fixture.Events)
        {
            if (fixture.Set.Match(Game, type, data) is not null)
            {
                matched++;
            }
        }
        return matched;
    }
}
