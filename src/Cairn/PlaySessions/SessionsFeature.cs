using Cairn.Projections;
using Cairn.PlaySessions.Storage;
using Cairn.Storage;

namespace Cairn.PlaySessions;

/// <summary>The sessions feature (issue #15): the projection, its store in both dialects, and its read API (<see cref="SessionsApi"/>).</summary>
internal static class SessionsFeature
{
    public static readonly ProjectionModule Module = new(
        SessionsProjection.Name,
        db => new SqlitePlaySessionStore(db),
        db => new PostgresPlaySessionStore(db),
        context => new SessionsProjection(context.Stores.Projection<IPlaySessionStore>(SessionsProjection.Name), context.Catalogs));

    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<IPlaySessionStore>(SessionsProjection.Name));
        return services;
    }
}
