using Microsoft.Extensions.Options;

namespace Cairn.PlayerState.Cache;

/// <summary>The hot cache of player state: Redis when <c>Cache:Redis</c> is set, else in process (unless <c>Cache:MaxEntries</c> is 0).</summary>
internal static class PlayerStateCacheFeature
{
    public static IServiceCollection AddPlayerStateCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName)
            .Validate(o => o.MaxEntries >= 0, "Cache:MaxEntries must be 0 (off) or more.")
            .Validate(o => o.TtlSeconds > 0, "Cache:TtlSeconds must be positive.")
            .Validate(o => o.ActiveWindowMinutes > 0, "Cache:ActiveWindowMinutes must be positive.")
            .Validate(o => o.RedisCheckSeconds > 0, "Cache:RedisCheckSeconds must be positive.")
            .ValidateOnStart();
        var options = configuration.GetSection(CacheOptions.SectionName).Get<CacheOptions>() ?? new CacheOptions();
        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            services.AddSingleton<RedisPlayerStateCache>();
            services.AddSingleton<IPlayerStateCache>(sp => sp.GetRequiredService<RedisPlayerStateCache>());
            services.AddSingleton<Hosting.IDependencyCheck>(sp => sp.GetRequiredService<RedisPlayerStateCache>());
            services.AddHostedService<RedisCacheKeeper>();
        }
        else if (options.MaxEntries > 0)
        {
            services.AddSingleton<IPlayerStateCache, InProcessPlayerStateCache>();
        }
        else
        {
            services.AddSingleton<IPlayerStateCache, NoPlayerStateCache>();
        }
        services.AddSingleton<Jobs.IJobCommitObserver, PlayerStateCacheObserver>();
        services.AddSingleton<HotStateReader>();
        return services;
    }
}
