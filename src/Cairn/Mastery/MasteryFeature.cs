using Cairn.Mastery.Storage;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Mastery;

/// <summary>The mastery feature: the projection, its store in both dialects, and its read side.</summary>
internal static class MasteryFeature
{
    public static readonly ProjectionModule Module = new(
        MasteryProjection.Name,
        db => new SqliteMasteryStore(db),
        db => new PostgresMasteryStore(db),
        context => new MasteryProjection(context.Stores.Events, context.Stores.Projection<IMasteryStore>(MasteryProjection.Name), context.Catalogs, context.Time));

    /// <summary>Registers the mastery projection and its read side (<see cref="MasteryApi"/>, <see cref="MasteryMatrixApi"/>).</summary>
    public static IServiceCollection AddMastery(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<IMasteryStore>(MasteryProjection.Name));
        services.AddSingleton<ICatalogStaleRows, MasteryStaleRows>();
        services.AddSingleton<MasteryMatrixReader>();
        return services;
    }
}
