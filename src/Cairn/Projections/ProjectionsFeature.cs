using Cairn.Catalogs;
using Cairn.Storage;

namespace Cairn.Projections;

/// <summary>The set of registered projections (each feature adds its <see cref="ProjectionModule"/> before this runs).</summary>
internal static class ProjectionsFeature
{
    public static IServiceCollection AddProjections(this IServiceCollection services)
    {
        services.AddSingleton(sp => ProjectionSet.From(sp.GetServices<ProjectionModule>(),
            new ProjectionContext(sp.GetRequiredService<Stores>(), sp.GetRequiredService<CatalogRegistry>(), sp.GetRequiredService<TimeProvider>())));
        return services;
    }
}
