namespace Cairn.Observability;

/// <summary>Metrics export. <c>GET /metrics</c> is always served (to the admin token or <c>Access:MetricsToken</c>); OTLP only when configured.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Where to push the same instruments over OTLP (e.g. <c>http://collector:4317</c>); empty (the default) = no OTLP export.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Seconds between two OTLP pushes.</summary>
    public int OtlpIntervalSeconds { get; set; } = 60;
}
