using Prometheus;

namespace Cairn.Observability;

/// <summary>
/// The registry <c>/metrics</c> serves: prometheus-net's meter adapter copies this host's <see cref="CairnMetrics.Meter"/>
/// (and no other meter: several hosts may share a process, as in the tests) into a registry of its own.
/// </summary>
/// <remarks>
/// prometheus-net rather than OpenTelemetry's Prometheus exporter: it is a stable release (the other is a beta), it writes
/// the 0.0.4 text format by default, and its adapter takes an instrument filter and a registry per host, where
/// OpenTelemetry's listener picks meters by name across the whole process. OTLP export still goes through OpenTelemetry.
/// </remarks>
internal sealed class PrometheusExport : IDisposable
{
    private readonly IDisposable _adapter;

    static PrometheusExport()
    {
        // The process-wide default registry (its own process and event-counter metrics, and an adapter listening to
        // every meter) is never served: suppress it before anything touches it.
        Metrics.SuppressDefaultMetrics();
    }

    public PrometheusExport(CairnMetrics metrics, ServerGauges gauges, Projections.ProjectionSet projections)
    {
        _ = gauges; // Created with the export so that its instruments exist before the adapter starts listening.
        Registry = Metrics.NewCustomRegistry();
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            // Without its own factory the adapter would write to the default registry's, whatever Registry says.
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            // The adapter forgets a label set after this long without a measurement (its default is minutes, its
            // longest a day); a forgotten counter comes back from its next increment, not from its total.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),
            ResolveHistogramBuckets = instrument => CairnMetrics.BucketsOf(instrument.Name) ?? MeterAdapterOptions.DefaultHistogramBuckets,
        });
        metrics.Initialize(projections.Names);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _adapter.Dispose();
}
