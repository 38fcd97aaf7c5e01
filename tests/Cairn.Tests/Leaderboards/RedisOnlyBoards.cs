using Cairn.Leaderboards.Redis;
using Cairn.Leaderboards.Storage;

namespace Cairn.Tests.Leaderboards;

/// <summary>
/// The Redis mirror with no way back to the store for reads: each read is answered from the board's Redis set (rebuilt
/// from the store first when it does not count), so the compliance facts hold of Redis's answers, not the store's.
/// </summary>
internal sealed class RedisOnlyBoards(RedisLeaderboardStore mirror) : ILeaderboardStore
{
    public RedisLeaderboardStore Mirror => mirror;

    /// <summary>Reads that found the set counting without a rebuild (kept up by the commits' own updates).</summary>
    public int Kept { get; private set; }

    public async Task<IReadOnlyList<LeaderboardEntry>> GetPageAsync(LeaderboardQuery query, LeaderboardPosition? after, int limit, CancellationToken cancellationToken) =>
        (await RankerAsync(query)).After(after, limit);

    public async Task<IReadOnlyList<LeaderboardEntry>> GetAboveAsync(LeaderboardQuery query, LeaderboardPosition before, int limit, CancellationToken cancellationToken) =>
        (await RankerAsync(query)).Before(before, limit);

    public async Task<LeaderboardEntry?> GetEntryAsync(LeaderboardQuery query, string playerKey, CancellationToken cancellationToken) =>
        (await RankerAsync(query)).Entry(playerKey);

    public Task SetOptOutAsync(string orgId, string playerKey, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        mirror.SetOptOutAsync(orgId, playerKey, optedOut, now, cancellationToken);

    public Task<bool> IsOptedOutAsync(string orgId, string playerKey, CancellationToken cancellationToken) => mirror.IsOptedOutAsync(orgId, playerKey, cancellationToken);

    private async Task<BoardRanker> RankerAsync(LeaderboardQuery query)
    {
        Assert.True(mirror.Cache.Usable, "Redis is not usable");
        if (await mirror.RankerAsync(query) is { } kept)
        {
            Kept++;
            return kept;
        }
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await mirror.RebuildAsync(query with { Players = null });
            if (await mirror.RankerAsync(query) is { } rebuilt)
            {
                return rebuilt;
            }
            await Task.Delay(20);
        }
        Assert.Fail("the board's Redis set never counted after rebuilds");
        return null!;
    }
}
