namespace Cairn.PlayerState.Cache;

/// <summary><c>Cache:MaxEntries</c> 0 and no Redis: every read goes to the store.</summary>
internal sealed class NoPlayerStateCache : IPlayerStateCache
{
    public string Backend => "none";

    public Task<HotState> GetAsync(string playerKey, string game, Func<CancellationToken, Task<HotState>> load, CancellationToken cancellationToken) =>
        load(cancellationToken);

    public Task WritingAsync(IReadOnlyCollection<string> playerKeys) => Task.CompletedTask;

    public Task WrittenAsync(IReadOnlyCollection<string> playerKeys, IReadOnlyList<HotWrite> committed) => Task.CompletedTask;

    public Task ForgettingAsync(string playerKey) => Task.CompletedTask;

    public Task ForgottenAsync(string playerKey) => Task.CompletedTask;
}
