using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Cairn.Observability;

/// <summary>Optional: the same instruments pushed over OTLP with the OpenTelemetry SDK, when <see cref="MetricsOptions.OtlpEndpoint"/> is set.</summary>
internal static class OtlpExport
{
    public static void AddIfConfigured(IServiceCollection services, MetricsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            return;
        }
        if (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException($"Metrics:OtlpEndpoint '{options.OtlpEndpoint}' is not an absolute URI such as http://collector:4317.");
        }
        var protocol = options.OtlpProtocol switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException($"Metrics:OtlpProtocol '{options.OtlpProtocol}' is neither 'grpc' nor 'http/protobuf'."),
        };
        if (options.OtlpIntervalSeconds <= 0)
        {
            throw new InvalidOperationException("Metrics:OtlpIntervalSeconds must be positive.");
        }
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CairnMetrics.MeterName)
            .AddView(instrument => CairnMetrics.BucketsOf(instrument.Name) is { } buckets
                ? new ExplicitBucketHistogramConfiguration { Boundaries = buckets }
                : null)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.OtlpIntervalSeconds * 1000;
            }));
    }
}
