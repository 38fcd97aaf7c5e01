using Cairn.Jobs;
using Cairn.Storage;

namespace Cairn.PlayerState.Cache;

/// <summary>Brackets every claim that stores player-state results with the cache's <see cref="IPlayerStateCache.WritingAsync"/> / <see cref="IPlayerStateCache.WrittenAsync"/>.</summary>
internal sealed class PlayerStateCacheObserver(IPlayerStateCache cache) : IJobCommitObserver
{
    public Task CommittingAsync(IReadOnlyList<JobCompletion> completions) =>
        PlayersOf(completions) is { Count: > 0 } players ? cache.WritingAsync(players) : Task.CompletedTask;

    public Task CommittedAsync(IReadOnlyList<JobCompletion> completions, bool committed)
    {
        var players = PlayersOf(completions);
        if (players.Count == 0)
        {
            return Task.CompletedTask;
        }
        IReadOnlyList<HotWrite> writes = committed
            ? [.. completions.Where(c => c.Job.Projection == PlayerStateProjection.Name)
                .Select(c => new HotWrite(c.Job.OrgId, c.Job.Key, c.Job.PlayerKey, (c.Result as PlayerStateResult)?.State.LastPlayedAt))]
            : [];
        return cache.WrittenAsync(players, writes);
    }

    private static HashSet<string> PlayersOf(IReadOnlyList<JobCompletion> completions) =>
        [.. completions.Where(c => c.Job.Projection == PlayerStateProjection.Name).Select(c => c.Job.PlayerKey)];
}
