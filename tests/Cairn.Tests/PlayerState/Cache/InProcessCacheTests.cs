using System.Diagnostics.Metrics;
using Cairn.Observability;
using Cairn.PlayerState;
using Cairn.PlayerState.Cache;
using Cairn.PlayerState.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.PlayerState.Cache;

/// <summary>The in-process cache on its own: what it keeps, what a write in progress does to it, its bound.</summary>
public sealed class InProcessCacheTests : IDisposable
{
    private const string Player = "p1_00000000000000000000000000000001";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private InProcessPlayerStateCache Cache(int maxEntries = 100) =>
        new(Options.Create(new CacheOptions { MaxEntries = maxEntries }), new CairnMetrics(_services.GetRequiredService<IMeterFactory>()));

    private static HotState State(int coins) =>
        new([new PlayerStateRow("org", "g", new PlayerStateDocument(null, [], [], [], [], new Dictionary<string, bool>(), new Dictionary<string, double> { ["coins"] = coins },
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null), DateTimeOffset.UnixEpoch)], []);

    private static double Coins(HotState state) => state.States[0].State.Counters["coins"];

    [Fact]
    public async Task Issue_13_a_second_read_is_answered_from_the_cache()
    {
        using var cache = Cache();
        var loads = 0;

        var first = await cache.GetAsync(Player, "g", _ => { loads++; return Task.FromResult(State(1)); }, None);
        var second = await cache.GetAsync(Player, "g", _ => { loads++; return Task.FromResult(State(2)); }, None);

        Assert.Equal(1, Coins(first));
        Assert.Equal(1, Coins(second));
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task Issue_13_a_value_read_from_the_store_while_a_write_committed_is_not_kept()
    {
        using var cache = Cache();
        var reading = new TaskCompletionSource();
        var release = new TaskCompletionSource<HotState>();

        // A read loads the old state; before it returns, a job writes and commits the new one.
        var slow = cache.GetAsync(Player, "g", _ => { reading.SetResult(); return release.Task; }, None);
        await reading.Task;
        await cache.WritingAsync([Player]);
        await cache.WrittenAsync([Player], []);
        release.SetResult(State(1));
        await slow;
        var after = await cache.GetAsync(Player, "g", _ => Task.FromResult(State(2)), None);

        Assert.Equal(2, Coins(after));
    }

    [Fact]
    public async Task Issue_13_a_player_being_written_is_read_from_the_store_and_the_commit_drops_the_entry()
    {
        using var cache = Cache();
        await cache.GetAsync(Player, "g", _ => Task.FromResult(State(1)), None);

        await cache.WritingAsync([Player]);
        var during = await cache.GetAsync(Player, "g", _ => Task.FromResult(State(2)), None);
        var duringAgain = await cache.GetAsync(Player, "g", _ => Task.FromResult(State(3)), None);
        await cache.WrittenAsync([Player], []);
        var after = await cache.GetAsync(Player, "g", _ => Task.FromResult(State(4)), None);
        var cached = await cache.GetAsync(Player, "g", _ => Task.FromResult(State(5)), None);

        Assert.Equal(2, Coins(during));
        Assert.Equal(3, Coins(duringAgain));  // nothing read during a write is kept
        Assert.Equal(4, Coins(after));
        Assert.Equal(4, Coins(cached));
    }

    [Fact]
    public async Task Issue_13_forgetting_a_player_drops_every_game_and_an_empty_answer_is_not_kept()
    {
        using var cache = Cache();
        await cache.GetAsync(Player, "g", _ => Task.FromResult(State(1)), None);
        await cache.GetAsync(Player, "h", _ => Task.FromResult(State(1)), None);

        await cache.ForgettingAsync(Player);
        await cache.ForgottenAsync(Player);
        var g = await cache.GetAsync(Player, "g", _ => Task.FromResult(new HotState([], [])), None);
        var countAfterEmpty = cache.Count;
        var h = await cache.GetAsync(Player, "h", _ => Task.FromResult(new HotState([], [])), None);

        Assert.True(g.IsEmpty);
        Assert.True(h.IsEmpty);
        Assert.Equal(0, countAfterEmpty);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Issue_13_the_in_process_cache_holds_at_most_MaxEntries_players()
    {
        using var cache = Cache(maxEntries: 5);

        for (var i = 0; i < 50; i++)
        {
            await cache.GetAsync($"p1_{i:D32}", "g", _ => Task.FromResult(State(i)), None);
            Assert.True(cache.Count <= 5, $"{cache.Count} players held after {i + 1}");
        }

        Assert.True(cache.Count > 0);
    }
}
