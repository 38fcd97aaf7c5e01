using System.Diagnostics.Metrics;
using Cairn.Observability;

namespace Cairn.PlayerState.Cache;

/// <summary>
/// The cache's instruments, on Cairn's meter (so <c>/metrics</c> exports them as <c>cairn_player_state_cache_*</c>):
/// lookups by backend and outcome (hit, miss, bypass: the store answered because the player was being written or the
/// cache was unavailable), and the players held in process.
/// </summary>
internal sealed class PlayerStateCacheMetrics
{
    private readonly Counter<long> _lookups;

    public PlayerStateCacheMetrics(CairnMetrics metrics, string backend, Func<long>? entries = null)
    {
        _lookups = metrics.Meter.CreateCounter<long>("player_state_cache_lookups", "{lookup}",
            "Player-state reads (state, inventory, visited) by cache backend and outcome: hit, miss (read from the store), bypass (the store answered: a write was under way or the cache was unavailable).");
        foreach (var outcome in new[] { "hit", "miss", "bypass" })
        {
            _lookups.Add(0, new KeyValuePair<string, object?>("backend", backend), new KeyValuePair<string, object?>("outcome", outcome));
        }
        Backend = backend;
        if (entries is not null)
        {
            metrics.Meter.CreateObservableGauge("player_state_cache_entries", entries, "{player}", "Players whose state the in-process cache holds.");
        }
    }

    public string Backend { get; }

    public void Hit() => Record("hit");

    public void Miss() => Record("miss");

    public void Bypass() => Record("bypass");

    private void Record(string outcome) =>
        _lookups.Add(1, new KeyValuePair<string, object?>("backend", Backend), new KeyValuePair<string, object?>("outcome", outcome));
}
