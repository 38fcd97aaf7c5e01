namespace Cairn.Access;

/// <summary>Who a caller is and what they reach: tokens and keys, sessions, scopes, audit, and the opt-out set ingest consults.</summary>
internal static class AccessFeature
{
    /// <param name="adminToken">Resolved before the host starts (a production start without one fails fast).</param>
    public static IServiceCollection AddAccess(this IServiceCollection services, string adminToken, string? metricsToken)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.SectionName)
            .Validate(o => o.OptOutRefreshSeconds > 0 && o.FailuresBeforeBackoff >= 0 && o.BackoffSeconds > 0 && o.MaxBackoffSeconds > 0 && o.FailureMemoryMinutes > 0,
                "Access:OptOutRefreshSeconds and the throttling settings must be positive (FailuresBeforeBackoff may be 0: no throttling).")
            .ValidateOnStart();
        services.AddSingleton(new AdminToken(adminToken));
        if (metricsToken is not null)
        {
            services.AddSingleton(new MetricsToken(metricsToken));
        }
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<Scopes>();
        services.AddSingleton<Audit>();
        services.AddSingleton<OptOuts>();
        // After the catalogs, before the workers: ingest answers 503 until the opt-out set has loaded.
        services.AddHostedService<OptOutSync>();
        return services;
    }

    /// <summary>A serving process throttles repeated authentication failures per client.</summary>
    public static IServiceCollection AddAccessThrottle(this IServiceCollection services) => services.AddSingleton<FailureThrottle>();
}
