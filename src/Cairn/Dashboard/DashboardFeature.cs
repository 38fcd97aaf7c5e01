namespace Cairn.Dashboard;

/// <summary>The teacher pages' live side: stream limits, the open streams, and (on PostgreSQL) wake-ups from other processes' workers.</summary>
internal static class DashboardFeature
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName)
            .Validate(o => o.MaxStreamsPerToken > 0, "Dashboard:MaxStreamsPerToken must be positive.").ValidateOnStart();
        services.AddSingleton<LiveStreams>();
        services.AddHostedService<Progress.Storage.ProgressNotifications>();
        return services;
    }
}
