using BenchmarkDotNet.Attributes;
using Cairn.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Benchmarks.Micro;

/// <summary>
/// What the metrics add to one ingest request: its outcome counters (a 100-event batch with 2 rejected events), its
/// request latency, and one commit. The baseline records the same with nothing listening (no <c>/metrics</c>); the
/// other with prometheus-net's meter adapter exporting them, as <c>cairn serve</c> runs.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class MetricsBenchmarks
{
    private static readonly string[] RejectedCodes = ["format", "required"];

    private ServiceProvider _services = null!;
    private CairnMetrics _metrics = null!;
    private IDisposable? _adapter;

    [Params(false, true)]
    public bool Exported { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new CairnMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        if (Exported)
        {
            Prometheus.Metrics.SuppressDefaultMetrics();
            var registry = Prometheus.Metrics.NewCustomRegistry();
            _adapter = Prometheus.MeterAdapter.StartListening(new Prometheus.MeterAdapterOptions
            {
                Registry = registry,
                MetricFactory = Prometheus.Metrics.WithCustomRegistry(registry),
                InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, _metrics.Meter),
                ResolveHistogramBuckets = instrument => CairnMetrics.BucketsOf(instrument.Name) ?? Prometheus.MeterAdapterOptions.DefaultHistogramBuckets,
            });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter?.Dispose();
        _services.Dispose();
    }

    [Benchmark]
    public void OneIngestRequest()
    {
        _metrics.IngestOutcome("org-bench", "mhs", 95, 3, 0, RejectedCodes);
        _metrics.Commit(0.004, 100, 25_000, ok: true);
        _metrics.Request("POST", "/v1/events/", 200, 0.006);
    }
}
