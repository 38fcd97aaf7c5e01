namespace Cairn.Jobs;

/// <summary>The job runner of every projection, and (when this process runs them) the workers.</summary>
internal static class JobsFeature
{
    public static IServiceCollection AddJobs(this IServiceCollection services, bool withWorkers)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.SectionName)
            .Validate(o => o.Workers >= 0 && o.BatchSize > 0 && o.LeaseSeconds > 0 && o.MaxAttempts > 0 && o.RetryBaseMilliseconds > 0 && o.PollMilliseconds > 0,
                "Jobs settings must be positive (Workers may be 0).")
            .ValidateOnStart();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<JobRunner>();
        if (withWorkers)
        {
            // Registered after the migration, the catalog load and the opt-out load: workers start last.
            services.AddHostedService<JobWorker>();
        }
        return services;
    }
}
