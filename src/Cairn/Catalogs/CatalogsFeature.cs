namespace Cairn.Catalogs;

/// <summary>The catalogs in force, loaded at start-up (with the recompute of rows a changed rule made stale) and, when serving, watched.</summary>
internal static class CatalogsFeature
{
    public static IServiceCollection AddCatalogs(this IServiceCollection services, string directory)
    {
        services.AddSingleton(sp => new CatalogRegistry(directory, sp.GetRequiredService<ILogger<CatalogRegistry>>(), sp.GetRequiredService<Observability.CairnMetrics>()));
        // After the migration, before the workers: loads the catalogs and queues what their versions make stale.
        services.AddHostedService<Jobs.CatalogRecomputer>();
        return services;
    }

    /// <summary>A serving process reloads a catalog file when it changes.</summary>
    public static IServiceCollection AddCatalogWatcher(this IServiceCollection services) => services.AddHostedService<CatalogWatcher>();
}
