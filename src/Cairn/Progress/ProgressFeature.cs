using Cairn.Dashboard;
using Cairn.Progress.Storage;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Progress;

/// <summary>The progress feature: the projection, its store in both dialects, and what reads and announces its cells.</summary>
internal static class ProgressFeature
{
    /// <summary>The progress projection's storage, made on whichever database the store opens.</summary>
    public static readonly ProjectionModule Module = new(
        ProgressProjection.Name,
        db => new SqliteProgressStore(db),
        db => new PostgresProgressStore(db),
        context => new ProgressProjection(context.Stores.Events, context.Catalogs, context.Time));

    /// <summary>Registers the progress projection and its read side (<see cref="ProgressApi"/>, the class matrix and its live feed).</summary>
    public static IServiceCollection AddProgress(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<IProgressStore>(ProgressProjection.Name));
        services.AddSingleton<ICatalogStaleRows, ProgressStaleRows>();
        services.AddSingleton<ProgressFeed>();
        services.AddSingleton<MatrixReader>();
        return services;
    }
}
