using System.Text.Json.Nodes;
using Cairn.Catalogs;
using Cairn.PlayerState;
using Cairn.Storage;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.PlayerState;

/// <summary>The replay of a player's events through a game's state rules and achievements (no store: history in, state out).</summary>
public sealed class PlayerStateCalculatorTests
{
    private const string Yaml = """
        game: t
        state:
          waypoints: [a, b]
          rules:
            - on: { eventType: visit }
              visit: { field: id }
            - on: { eventType: quest_start }
              startQuest: { field: id }
            - on: { eventType: quest_done }
              completeQuest: { field: id }
            - on: { eventType: pick }
              addItem: { field: id }
              addCounter: { counter: picks }
            - on: { eventType: drop }
              removeItem: { field: id }
            - on: { eventType: flag, data: { on: true } }
              setFlag: { field: id }
            - on: { eventType: flag, data: { on: false } }
              clearFlag: { field: id }
        achievements:
          - id: two_picks
            when: { counter: picks, atLeast: 2 }
          - id: quest_q
            when: { questCompleted: q }
          - id: all
            when: { visitedAll: [a, b] }
          - id: waved
            on: { eventType: wave }
        """;

    private static readonly PlayerStateRules Rules = CatalogLoader.Load("t.yaml", Yaml).PlayerState;

    private static HistoryEvent E(string id, double seconds, string type, JsonObject? data = null, long? seq = null) =>
        History(id, seconds, type, data ?? [], seq);

    private static JsonObject Id(string id) => new() { ["id"] = id };

    [Fact]
    public void Issue_13_no_matching_event_means_no_state()
    {
        var none = PlayerStateCalculator.Compute(Rules, [E("x", 0, "other"), E("y", 1, "flag", new JsonObject { ["id"] = "door" })]);

        Assert.Null(none);
    }

    [Fact]
    public void Issue_13_events_at_the_same_timestamp_apply_in_arrival_order()
    {
        var pickThenDrop = PlayerStateCalculator.Compute(Rules, [E("d", 5, "drop", Id("key"), seq: 2), E("p", 5, "pick", Id("key"), seq: 1)])!;
        var dropThenPick = PlayerStateCalculator.Compute(Rules, [E("d", 5, "drop", Id("key"), seq: 1), E("p", 5, "pick", Id("key"), seq: 2)])!;

        Assert.Empty(pickThenDrop.State.Inventory);
        Assert.Equal(["key"], dropThenPick.State.Inventory);
    }

    [Fact]
    public void Issue_13_each_achievement_is_earned_once_at_the_event_that_first_satisfied_it()
    {
        var result = PlayerStateCalculator.Compute(Rules,
        [
            E("1", 0, "pick", Id("x")), E("2", 10, "wave"), E("3", 20, "pick", Id("y")), E("4", 30, "pick", Id("z")),
            E("5", 40, "visit", Id("a")), E("6", 50, "wave"), E("7", 60, "visit", Id("b")), E("8", 70, "quest_done", Id("q")),
        ])!;

        Assert.Equal([("waved", At(10), "2"), ("two_picks", At(20), "3"), ("all", At(60), "7"), ("quest_q", At(70), "8")],
            result.Achievements.Select(a => (a.AchievementId, a.At, a.EventId)));
        Assert.Equal(At(60), result.State.WaypointsCompletedAt);
        Assert.Equal(3, result.State.Counters["picks"]);
    }

    [Fact]
    public void Issue_13_quests_flags_and_first_visits_keep_their_first_times()
    {
        var result = PlayerStateCalculator.Compute(Rules,
        [
            E("1", 0, "quest_start", Id("q")), E("2", 10, "quest_done", Id("q")), E("3", 20, "quest_start", Id("q")),
            E("4", 30, "quest_start", Id("r")), E("5", 40, "visit", Id("a")), E("6", 50, "visit", Id("a")),
            E("7", 60, "flag", new JsonObject { ["id"] = "door", ["on"] = true }), E("8", 70, "flag", new JsonObject { ["id"] = "door", ["on"] = false }),
            E("9", 80, "visit", new JsonObject()),
        ])!;

        Assert.Equal([new QuestMark("q", At(10))], result.State.CompletedQuests);
        Assert.Equal([new QuestMark("r", At(30))], result.State.ActiveQuests);
        Assert.Equal([new VisitedWaypoint("a", At(40))], result.State.Visited);
        Assert.False(result.State.Flags["door"]);
        Assert.Equal((At(0), At(80)), (result.State.StartedAt, result.State.LastPlayedAt));
        Assert.Null(result.State.WaypointsCompletedAt);
    }
}
