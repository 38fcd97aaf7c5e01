namespace Cairn.PlayerState.Cache;

/// <summary>
/// The hot cache of player-state reads (state, inventory, visited): in process by default, in Redis when
/// <see cref="Redis"/> is set. The store stays the truth either way.
/// </summary>
internal sealed class CacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>Players whose state the in-process cache keeps (all their games count as one); 0 turns it off. Default 10,000.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Seconds an entry lives at most (in process and in Redis), a bound on what a writer outside this process can leave stale. Default 300.</summary>
    public int TtlSeconds { get; set; } = 300;

    /// <summary>A StackExchange.Redis connection string ("localhost:6379"); when set, Redis holds the hot state and the active-player sets instead of this process, and mirrors the leaderboards (Leaderboards/Redis). Default none.</summary>
    public string? Redis { get; set; }

    /// <summary>Minutes of activity the active-player sets keep (older members are trimmed; a rebuild reads this far back). Default 1440 (a day).</summary>
    public int ActiveWindowMinutes { get; set; } = 1440;

    /// <summary>Seconds between checks of a Redis that is down or was lost (it is used again only after a check succeeds). Default 1.</summary>
    public double RedisCheckSeconds { get; set; } = 1;
}
