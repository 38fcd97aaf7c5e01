using Cairn.Consent.Storage;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Consent;

/// <summary>Consent per event category (issue #14): its table in both dialects, the in-memory declined set and its sync.</summary>
internal static class ConsentCategoriesFeature
{
    public static readonly ProjectionModule Module = new(
        ConsentCategoryProjection.Name,
        db => new SqliteConsentCategoryStore(db),
        db => new PostgresConsentCategoryStore(db),
        _ => new ConsentCategoryProjection());

    public static IServiceCollection AddConsentCategories(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<IConsentCategoryStore>(ConsentCategoryProjection.Name));
        services.AddSingleton<ConsentCategories>();
        services.AddSingleton<ConsentCategorySync>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsentCategorySync>());
        return services;
    }
}
