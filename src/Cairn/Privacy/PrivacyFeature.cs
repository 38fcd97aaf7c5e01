namespace Cairn.Privacy;

/// <summary>Retention: its rules, and (when serving) the periodic purge.</summary>
internal static class PrivacyFeature
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .Validate(o => o.Days.Values.All(d => d > 0) && o.Orgs.Values.All(l => l.Values.All(d => d > 0)) && o.PeriodHours >= 0,
                "Retention days must be positive.")
            .ValidateOnStart();
        return services;
    }

    public static IServiceCollection AddRetentionPurge(this IServiceCollection services) => services.AddHostedService<PurgeService>();
}
