using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.PlayerState;
using Cairn.Storage;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.PlayerState;

/// <summary>
/// Playtime from event gaps (until sessions exist): the sum of the gaps between consecutive counted events shorter than the
/// game's inactivity threshold. Each expectation is computed independently from the timeline the test made up.
/// </summary>
public sealed class PlaytimeTests
{
    private static PlayerStateRules Rules(string stateHead = "") => CatalogLoader.Load("t.yaml", $$"""
        game: t
        state:
        {{stateHead}}  rules:
            - on: { eventType: visit }
              visit: { field: id }
        """).PlayerState;

    /// <summary>The rule, computed the plain way: sort the times, sum each gap to the previous one that is under the threshold.</summary>
    internal static double Expected(IEnumerable<double> seconds, double thresholdSeconds)
    {
        var sorted = seconds.Order().ToArray();
        return sorted.Zip(sorted.Skip(1), (a, b) => b - a).Where(gap => gap < thresholdSeconds).Sum();
    }

    private static HistoryEvent Visit(string id, double seconds) => History(id, seconds, "visit", new JsonObject { ["id"] = "w" + id });

    [Fact]
    public void Issue_13_playtime_sums_the_gaps_under_30_minutes_and_leaves_out_longer_breaks()
    {
        // Two sittings a day apart, a break of exactly 30 minutes (not playtime), one of 29:59 (playtime), events out of order.
        double[] times = [0, 45, 300, 1_200, 1_200 + 1_800, 1_200 + 1_800 + 1_799, 86_400, 86_400 + 61.5, 86_400 + 600];
        var history = times.Select((t, i) => Visit(i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)).Reverse().ToList();

        var state = PlayerStateCalculator.Compute(Rules(), history)!.State;

        Assert.Equal(Expected(times, 30 * 60), state.PlaytimeSeconds, 6);
        Assert.Equal(1_200 + 1_799 + 600, state.PlaytimeSeconds, 6);   // the same rule, summed by hand
    }

    [Fact]
    public void Issue_13_playtime_counts_only_the_events_that_match_a_rule_and_follows_the_catalogs_threshold()
    {
        // 'other' events match no rule: they neither add playtime nor split a gap.
        double[] visits = [0, 200, 500, 1_000, 1_100];
        var history = visits.Select((t, i) => Visit("v" + i, t)).Concat([History("o1", 100, "other", []), History("o2", 700, "other", [])]).ToList();

        var fiveMinutes = PlayerStateCalculator.Compute(Rules("  inactivityMinutes: 5\n"), history)!.State;
        var byDefault = PlayerStateCalculator.Compute(Rules(), history)!.State;

        Assert.Equal(Expected(visits, 5 * 60), fiveMinutes.PlaytimeSeconds, 6);
        Assert.Equal(Expected(visits, 30 * 60), byDefault.PlaytimeSeconds, 6);
        Assert.Equal(1_100, byDefault.PlaytimeSeconds, 6);
        Assert.Equal(200 + 100, fiveMinutes.PlaytimeSeconds, 6);
    }

    [Fact]
    public void Issue_13_a_single_event_is_no_playtime_and_the_threshold_is_part_of_the_rule_version()
    {
        var one = PlayerStateCalculator.Compute(Rules(), [Visit("a", 10)])!.State;

        Assert.Equal(0, one.PlaytimeSeconds);
        Assert.NotEqual(PlayerStateRuleVersion.Of(Rules()), PlayerStateRuleVersion.Of(Rules("  inactivityMinutes: 5\n")));
        Assert.Equal(PlayerStateRuleVersion.Of(Rules()), PlayerStateRuleVersion.Of(Rules("  inactivityMinutes: 30\n")));
    }
}
