using Cairn.Projections;

namespace Cairn.Storage;

/// <summary>The store by concern: each contract on its own, over one database, with each registered projection's store.</summary>
internal static class StorageFeature
{
    /// <summary>Registers the stores and the start-up migration (first of the background services: everything else needs the schema).</summary>
    public static IServiceCollection AddStores(this IServiceCollection services, StorageOptions storage)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton(sp => Stores.Open(storage, sp.GetServices<ProjectionModule>()));
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Schema);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Events);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Jobs);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Directory);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Access);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Groups);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Privacy);
        services.AddHostedService<Hosting.StoreMigrator>();
        return services;
    }
}
