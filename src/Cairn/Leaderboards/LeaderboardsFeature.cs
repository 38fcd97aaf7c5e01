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
        // With Cache:Redis the boards are mirrored in Redis sorted sets in front of the store (docs/player-state.md).
        services.AddSingleton(sp => sp.GetRequiredService<Stores>().Projection<ILeaderboardStore>(LeaderboardProjection.Name) is var store
            && sp.GetService<PlayerState.Cache.RedisPlayerStateCache>() is { } redis
                ? new Redis.RedisLeaderboardStore(store, redis, sp.GetRequiredService<ILogger<Redis.RedisLeaderboardStore>>())
                : store);
        services.AddSingleton<Jobs.IJobCommitObserver, Redis.LeaderboardCommitObserver>();
        services.AddSingleton<LeaderboardReader>();
        return services;
    }
}
