namespace Cairn.Dashboard;

/// <summary>The teacher pages: stream limits and attention thresholds, the class view, the open streams, and (on PostgreSQL) wake-ups from other processes' workers.</summary>
internal static class DashboardFeature
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName)
            .Validate(o => o.MaxStreamsPerToken > 0, "Dashboard:MaxStreamsPerToken must be positive.")
            .Validate(o => o.AttentionYellowCells > 0 && o.InactiveMinutes > 0, "Dashboard:AttentionYellowCells and Dashboard:InactiveMinutes must be positive.").ValidateOnStart();
        services.AddSingleton<LiveStreams>();
        services.AddSingleton<ClassViewReader>();
        services.AddHostedService<Progress.Storage.ProgressNotifications>();
        return services;
    }
}
