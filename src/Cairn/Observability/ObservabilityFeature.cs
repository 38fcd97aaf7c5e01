namespace Cairn.Observability;

/// <summary>Metrics: the instruments (every process), optional OTLP export, and a serving process's <c>/metrics</c>.</summary>
internal static class ObservabilityFeature
{
    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<CairnMetrics>();
        OtlpExport.AddIfConfigured(services, configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions());
        return services;
    }

    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services)
    {
        services.AddSingleton<JobQueueSample>();
        services.AddSingleton<ServerGauges>();
        services.AddSingleton<PrometheusExport>();
        return services;
    }
}
