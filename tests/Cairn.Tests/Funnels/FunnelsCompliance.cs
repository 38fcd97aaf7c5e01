using Cairn.Catalogs;
using Cairn.Funnels;
using Cairn.Storage;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;
using Cairn.Tests.Storage;

namespace Cairn.Tests.Funnels;

/// <summary>Funnels over hand-made journeys, read back from each store (a Sqlite* and a Postgres* subclass); docs/analytics.md states the rules.</summary>
public abstract class FunnelsCompliance : StoreFacts
{
    private const string Dee = "pk-dee";
    private const string Eve = "pk-eve";
    private const string Hal = "pk-hal";
    private const long Week = 7 * 86400;

    private static readonly EventPattern[] Levels = [Level(0), Level(1), Level(2)];

    private protected FunnelsCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    private IFunnelStore Funnels => Store.Database switch
    {
        SqliteDatabase sqlite => new SqliteFunnelStore(sqlite),
        PostgresDatabase postgres => new PostgresFunnelStore(postgres),
        _ => throw new InvalidOperationException(),
    };

    private static EventPattern Level(int level) => new("LevelDone", [("level", [MatchValue.Number(level)])]);

    private static EventRecord At(string player, TimeSpan after, string type, int level = -1, string? platform = null) =>
        new(Org, Game, "src-1", $"{player}-{after.TotalSeconds}-{type}", type, T0 + after, player, "sess-1", null,
            level < 0 ? "{}" : $$"""{"level":{{level}}}""", platform is null ? null : $$"""{"platform":"{{platform}}"}""", null, null, "standard", null);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    /// <summary>
    /// Ada: 0, noise, 1, 2. Ben: 1 before 0, then 2. Cy: 0, 1, and 2 eight days later. Dee: 0, 1, 2 with nothing between.
    /// Eve: 0, quit, 1, 2. Hal: 0 alone, then ten days later 0, 1. Org B's copy of Dee and another game's must not count.
    /// </summary>
    private async Task SeedAsync() => await WriteEventsAsync(
        At(Ada, M(0), "LevelDone", 0, "ios"), At(Ada, M(1), "Noise", platform: "ios"), At(Ada, M(2), "LevelDone", 1, "ios"), At(Ada, M(3), "LevelDone", 2, "ios"),
        At(Ben, M(0), "LevelDone", 1, "ios"), At(Ben, M(1), "LevelDone", 0, "ios"), At(Ben, M(2), "LevelDone", 2, "ios"),
        At(Cy, M(0), "LevelDone", 0, "android"), At(Cy, M(1), "LevelDone", 1, "android"), At(Cy, TimeSpan.FromDays(8), "LevelDone", 2, "android"),
        At(Dee, M(0), "LevelDone", 0, "web"), At(Dee, M(1), "LevelDone", 1, "web"), At(Dee, M(2), "LevelDone", 2, "web"),
        At(Eve, M(0), "LevelDone", 0), At(Eve, M(1), "Quit"), At(Eve, M(2), "LevelDone", 1), At(Eve, M(3), "LevelDone", 2),
        At(Hal, M(0), "LevelDone", 0, "android"), At(Hal, TimeSpan.FromDays(10), "LevelDone", 0, "android"), At(Hal, TimeSpan.FromDays(10) + M(1), "LevelDone", 1, "android"),
        At(Dee, M(0), "LevelDone", 0) with { OrgId = OtherOrg, EventId = "b-0" }, At(Dee, M(0), "LevelDone", 0) with { Game = OtherGame, EventId = "g-0" });

    private async Task<FunnelOutcome> RunAsync(FunnelDefinition funnel, IReadOnlyList<string>? players = null)
    {
        var events = await Funnels.ReadAsync(
            new FunnelRead(Org, Game, T0.AddDays(-1), T0.AddDays(30), funnel.EventTypes, players, funnel.BreakdownColumn), None);
        return FunnelEngine.Compute(funnel, events);
    }

    private static FunnelDefinition Funnel(FunnelOrder order, long window = Week, string? breakdown = null, params FunnelExclusion[] exclusions) =>
        new(Levels, window, order, exclusions, breakdown);

    [SkippableFact]
    public async Task Issue_15_ordered_funnel_counts_steps_in_order_within_the_window_from_the_first_step()
    {
        await SeedAsync();

        var outcome = await RunAsync(Funnel(FunnelOrder.Ordered));

        Assert.Equal([6L, 5, 3], outcome.Steps.Select(s => s.Players));
        Assert.Equal([1, 0.8333, 0.5], outcome.Steps.Select(s => s.ConversionFromFirst));
        Assert.Equal([1, 0.8333, 0.6], outcome.Steps.Select(s => s.ConversionFromPrevious));
        Assert.Equal([null, 60, 60], outcome.Steps.Select(s => s.MedianSecondsFromPrevious));
        Assert.Equal([null, 120, 60], outcome.Steps.Select(s => s.P90SecondsFromPrevious));
        Assert.Equal([[], [Ben], [Cy, Hal]], outcome.Dropped);
        Assert.Equal([0L, 1, 2], outcome.Steps.Select(s => s.Dropped));
        Assert.Equal(0, outcome.Excluded);
    }

    [SkippableFact]
    public async Task Issue_15_strict_funnel_allows_no_other_event_of_the_game_between_steps()
    {
        await SeedAsync();

        var outcome = await RunAsync(Funnel(FunnelOrder.Strict));

        Assert.Equal([6L, 3, 1], outcome.Steps.Select(s => s.Players));
        Assert.Equal([[], [Ada, Ben, Eve], [Cy, Hal]], outcome.Dropped);
    }

    [SkippableFact]
    public async Task Issue_15_any_order_funnel_needs_every_step_within_the_window_in_any_order()
    {
        await SeedAsync();

        var outcome = await RunAsync(Funnel(FunnelOrder.Any));

        Assert.Equal([6L, 6, 4], outcome.Steps.Select(s => s.Players));
        Assert.Equal([[], [], [Cy, Hal]], outcome.Dropped);
        Assert.All(outcome.Steps, s => Assert.Null(s.MedianSecondsFromPrevious));
    }

    [SkippableFact]
    public async Task Issue_15_a_longer_window_converts_the_slow_player_and_a_later_attempt_counts()
    {
        await SeedAsync();

        var outcome = await RunAsync(Funnel(FunnelOrder.Ordered, window: 10 * 86400));

        Assert.Equal([6L, 5, 4], outcome.Steps.Select(s => s.Players));
        Assert.Equal([[], [Ben], [Hal]], outcome.Dropped);
        Assert.Equal(8 * 86400 - 60, outcome.Steps[2].P90SecondsFromPrevious);
    }

    [SkippableFact]
    public async Task Issue_15_windows_are_rolling_from_the_first_step_not_calendar_days()
    {
        var fay = "pk-fay";
        var gus = "pk-gus";
        var midnight = new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero) - T0;
        await WriteEventsAsync(
            At(fay, midnight - M(30), "LevelDone", 0), At(fay, midnight + M(20), "LevelDone", 1),
            At(gus, midnight + M(10), "LevelDone", 0), At(gus, midnight + M(23 * 60 + 50), "LevelDone", 1));

        var outcome = await RunAsync(new FunnelDefinition([Level(0), Level(1)], 3600, FunnelOrder.Ordered, [], null));

        Assert.Equal([2L, 1], outcome.Steps.Select(s => s.Players));
        Assert.Equal([[], [gus]], outcome.Dropped);
        Assert.Equal(3000, outcome.Steps[1].MedianSecondsFromPrevious);
    }

    [SkippableFact]
    public async Task Issue_15_an_exclusion_event_between_two_steps_removes_the_player()
    {
        await SeedAsync();
        var quit = new FunnelExclusion(new EventPattern("Quit", []), 0, 2);

        var outcome = await RunAsync(Funnel(FunnelOrder.Ordered, exclusions: quit));
        var later = await RunAsync(Funnel(FunnelOrder.Ordered, exclusions: quit with { From = 1 }));

        Assert.Equal([5L, 4, 2], outcome.Steps.Select(s => s.Players));
        Assert.Equal(1, outcome.Excluded);
        Assert.DoesNotContain(Eve, outcome.Dropped.SelectMany(d => d));
        Assert.Equal([6L, 5, 3], later.Steps.Select(s => s.Players));  // Eve quit before step 1, not between 1 and 2
        Assert.Equal(0, later.Excluded);
    }

    [SkippableFact]
    public async Task Issue_15_breakdown_values_and_other_add_up_to_the_whole_at_every_step()
    {
        await SeedAsync();

        var outcome = await RunAsync(Funnel(FunnelOrder.Ordered, breakdown: "device.platform"));

        var breakdown = outcome.Breakdown!;
        Assert.Equal(["android", "ios", "web", "other"], breakdown.Select(b => b.Value));
        Assert.Equal([2L, 2, 0], breakdown[0].Steps.Select(s => s.Players));  // Cy, Hal
        Assert.Equal([2L, 1, 1], breakdown[1].Steps.Select(s => s.Players));  // Ada, Ben
        Assert.Equal([1L, 1, 1], breakdown.Single(b => b.Value == "other").Steps.Select(s => s.Players));  // Eve, no device
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(outcome.Steps[k].Players, breakdown.Sum(b => b.Steps[k].Players));
            Assert.Equal(outcome.Steps[k].Dropped, breakdown.Sum(b => b.Steps[k].Dropped));
        }
    }

    [SkippableFact]
    public async Task Issue_15_the_players_in_the_step_totals_are_the_players_in_the_dropped_lists()
    {
        await SeedAsync();

        foreach (var order in new[] { FunnelOrder.Ordered, FunnelOrder.Strict, FunnelOrder.Any })
        {
            var outcome = await RunAsync(Funnel(order));

            for (var k = 1; k < 3; k++)
            {
                Assert.Equal(outcome.Steps[k - 1].Players - outcome.Steps[k].Players, outcome.Dropped[k].Count);
            }
            Assert.Equal(outcome.Steps[0].Players, outcome.Dropped.Sum(d => d.Count) + outcome.Steps[^1].Players);
        }
    }

    [SkippableFact]
    public async Task Issue_15_a_players_filter_counts_only_those_players()
    {
        await SeedAsync();

        var outcome = await RunAsync(Funnel(FunnelOrder.Ordered), [Ada, Ben]);

        Assert.Equal([2L, 1, 1], outcome.Steps.Select(s => s.Players));
        Assert.Equal([[], [Ben], []], outcome.Dropped);
    }
}

public sealed class SqliteFunnelsCompliance() : FunnelsCompliance(new SqliteStoreMaker());

public sealed class PostgresFunnelsCompliance(Cairn.Tests.Support.PostgresServer server) : FunnelsCompliance(new PostgresStoreMaker(server)), IClassFixture<Cairn.Tests.Support.PostgresServer>;
