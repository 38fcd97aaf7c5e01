using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Cairn.Benchmarks.Load;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Ingest;

namespace Cairn.Benchmarks.Micro;

/// <summary>
/// One event through what <c>POST /v1/events</c> does to it: parse, normalize, validate, pseudonymize.
/// The baseline only parses the same bytes into a <see cref="JsonNode"/>, the least any JSON ingest must do.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class EventPipelineBenchmarks
{
    private static readonly IngestScope Scope = new("org-bench", EventGenerator.Game);

    private byte[] _bytes = [];
    private IngestPipeline _pipeline = null!;

    [Params("canonical", "legacy-mongo", "lms-snake_case")]
    public string Shape { get; set; } = "canonical";

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Encoding.UTF8.GetBytes(Shape switch
        {
            "canonical" => EventSamples.Canonical,
            "legacy-mongo" => EventSamples.LegacyMongo,
            _ => EventSamples.LmsSnakeCase,
        });
        var schemas = new EventSchemas(CatalogLoader.LoadSchemas("mhs.yaml", EventGenerator.CatalogYaml));
        _pipeline = new IngestPipeline(
            new EventNormalizer(schemas, new IngestOptions().DropFields),
            new PlayerKeys(Encoding.UTF8.GetBytes("benchmark-pepper-0123456789abcdef"), 1),
            new IngestOptions().MaxEventBytes);
        var check = Pipeline();
        if (check != 1)
        {
            throw new InvalidOperationException($"The {Shape} sample was not accepted by the pipeline.");
        }
    }

    [Benchmark(Baseline = true)]
    public JsonNode? ParseOnly() => JsonNode.Parse(_bytes);

    /// <summary>As the endpoint does it: parse into a document, wrap the element, prepare a one-event batch.</summary>
    [Benchmark]
    public int Pipeline()
    {
        using var document = JsonDocument.Parse(_bytes);
        var element = document.RootElement;
        var incoming = new IncomingEvent(JsonObject.Create(element), JsonMarshal.GetRawUtf8Value(element).Length, element);
        return _pipeline.Prepare(Scope, [incoming]).Batch.Events.Count;
    }
}
