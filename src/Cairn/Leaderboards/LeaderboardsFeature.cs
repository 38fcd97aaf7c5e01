using Cairn.Leaderboards.Storage;
using Cairn.Projections;
using Cairn.Storage;

namespace Cairn.Leaderboards;

/// <summary>The leaderboards feature (issue #13): the projection, its store in both dialects, and its read API.</summary>
internal static class LeaderboardsFeature
{
    public static readonly ProjectionModule Module = new(
        LeaderboardProjection.Name,
        db => new SqliteLeaderboardStore(db),
        db => new PostgresLeaderboardStore(db),
        context => new LeaderboardProjection(context.Stores.Events, context.Catalogs));

    /// <summary>Registers the projection and its read side (<see cref="LeaderboardApi"/>).</summary>
    public static IServiceCollection AddLeaderboards(this IServiceCollection services)
    {
        services.AddSingleton(Module);
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<ILeaderboardStore>(LeaderboardProjection.Name));
        services.AddSingleton<LeaderboardReader>();
        return services;
    }
}
