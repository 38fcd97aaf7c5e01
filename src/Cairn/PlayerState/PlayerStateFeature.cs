using Cairn.PlayerState.Storage;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.PlayerState;

/// <summary>The player-state feature (issue #13): the projection, its store in both dialects, and its read API.</summary>
internal static class PlayerStateFeature
{
    public static readonly ProjectionModule Module = new(
        PlayerStateProjection.Name,
        db => new SqlitePlayerStateStore(db),
        db => new PostgresPlayerStateStore(db),
        context => new PlayerStateProjection(context.Stores.Events, context.Catalogs));

    /// <summary>Registers the projection and its read side (<see cref="PlayerStateApi"/>).</summary>
    public static IServiceCollection AddPlayerState(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<IPlayerStateStore>(PlayerStateProjection.Name));
        services.AddSingleton<ICatalogStaleRows, PlayerStateStaleRows>();
        return services;
    }
}
