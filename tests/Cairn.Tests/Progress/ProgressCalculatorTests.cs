using Cairn.Catalogs;
using Cairn.Progress;
using Cairn.Storage;
using Cairn.Tests.Support;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.Progress;

/// <summary>Golden scenarios of the materializer's rules (docs/catalogs-and-progress.md) on catalogs/mhs.yaml.</summary>
public sealed class ProgressCalculatorTests
{
    private const string Player = "p1_player";

    private static readonly GameCatalog Mhs =
        CatalogLoader.Load("mhs.yaml", File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml")));

    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProgressRow? Compute(string pointId, params HistoryEvent[] history) =>
        ProgressCalculator.Compute(Mhs, Mhs.PointsById[pointId], "org", Player, history, Now);

    private static string Version(string pointId) => Mhs.PointsById[pointId].Version;

    private static HistoryEvent HelpAsked(string id, double seconds, long? seq = null) => DialogueHistory(id, seconds, 20, 33, seq);

    [Fact]
    public void Duration_of_exactly_the_maximum_is_green()
    {
        var row = Compute("U2.C2", DialogueHistory("e1", 0, 20, 1), DialogueHistory("e2", 300, 20, 26));

        Assert.Equal(new ProgressRow("org", "mhs", Player, "U2.C2", "green", 300, 300, null, At(300), Version("U2.C2"), "e2", Now, StartedAt: At(0)), row);
    }

    [Theory]
    [InlineData(300.001)]
    [InlineData(301)]
    [InlineData(3600)]
    public void Duration_over_the_maximum_is_yellow(double seconds)
    {
        var row = Compute("U2.C2", DialogueHistory("e1", 0, 20, 1), DialogueHistory("e2", seconds, 20, 26));

        Assert.NotNull(row);
        Assert.Equal("yellow", row.Status);
        Assert.Equal(seconds, row.DurationSeconds!.Value, 6);
        Assert.Equal(row.DurationSeconds, row.Score);
    }

    [Fact]
    public void Duration_rule_without_a_start_is_yellow_with_no_duration()
    {
        var row = Compute("U2.C2", DialogueHistory("e2", 10, 20, 26));

        Assert.NotNull(row);
        Assert.Equal("yellow", row.Status);
        Assert.Null(row.DurationSeconds);
        Assert.Null(row.Score);
        Assert.Equal("e2", row.TriggerEventId);
    }

    [Fact]
    public void Duration_is_measured_from_the_latest_start_before_the_first_completion()
    {
        var row = Compute("U2.C2",
            DialogueHistory("e1", 0, 20, 1),
            DialogueHistory("e2", 400, 20, 1),
            DialogueHistory("e3", 500, 20, 26),
            DialogueHistory("e4", 510, 20, 1),
            DialogueHistory("e5", 520, 20, 26));

        Assert.NotNull(row);
        Assert.Equal("green", row.Status);
        Assert.Equal(100, row.DurationSeconds);
        Assert.Equal(At(500), row.CompletedAt);
        Assert.Equal("e3", row.TriggerEventId);
    }

    [Theory]
    [InlineData(0, "green")]
    [InlineData(1, "green")]
    [InlineData(2, "yellow")]
    [InlineData(5, "yellow")]
    public void Count_at_most_the_maximum_is_green(int helps, string status)
    {
        var history = new List<HistoryEvent> { DialogueHistory("a-start", 0, 20, 60) };
        history.AddRange(Enumerable.Range(0, helps).Select(i => HelpAsked($"help-{i}", 10 + i)));
        history.Add(DialogueHistory("z-done", 100, 20, 74));

        var row = Compute("U2.C7", [.. history]);

        Assert.NotNull(row);
        Assert.Equal(status, row.Status);
        Assert.Equal(helps, row.Count);
        Assert.Equal(helps, row.Score);
        Assert.Equal(100, row.DurationSeconds);
    }

    [Fact]
    public void Count_only_counts_after_the_latest_start_and_up_to_the_completion()
    {
        var explanation = ProgressCalculator.Explain(Mhs, Mhs.PointsById["U2.C7"], "org", Player,
        [
            HelpAsked("h1", 5),
            DialogueHistory("s1", 10, 20, 60),
            HelpAsked("h2", 15),
            HelpAsked("h3", 16),
            DialogueHistory("s2", 20, 20, 60),
            HelpAsked("h4", 25),
            DialogueHistory("done", 30, 20, 75),
            HelpAsked("h5", 35),
            HelpAsked("h6", 36),
        ], Now);

        Assert.NotNull(explanation.Row);
        Assert.Equal("green", explanation.Row.Status);
        Assert.Equal(1, explanation.Row.Count);
        Assert.Equal("s2", explanation.Start?.EventId);
        Assert.Equal("done", explanation.Completion?.EventId);
        Assert.Equal(["h4"], explanation.Counted.Select(e => e.EventId));
        Assert.Null(explanation.Reset);
    }

    [Fact]
    public void Count_without_a_start_counts_from_the_beginning()
    {
        var row = Compute("U2.C7", HelpAsked("h1", 5), HelpAsked("h2", 6), DialogueHistory("done", 30, 20, 74));

        Assert.NotNull(row);
        Assert.Equal("yellow", row.Status);
        Assert.Equal(2, row.Count);
    }

    [Theory]
    [InlineData(74)]
    [InlineData(75)]
    public void Either_node_of_complete_any_completes(int node)
    {
        var row = Compute("U2.C7", DialogueHistory("done", 30, 20, node));

        Assert.NotNull(row);
        Assert.Equal("done", row.TriggerEventId);
        Assert.Equal(0, row.Count);
        Assert.Equal("green", row.Status);
    }

    [Fact]
    public void Other_nodes_and_types_do_not_complete()
    {
        var row = Compute("U2.C7",
            DialogueHistory("a", 1, 20, 73),
            DialogueHistory("b", 2, 21, 74),
            History("c", 3, "questEvent", new() { ["conversationId"] = 20, ["nodeId"] = 74 }),
            History("d", 4, "ProgressPointCompleted", Completed("U2.C6")));

        Assert.Null(row);
    }

    [Fact]
    public void Explicit_completion_event_completes_the_point()
    {
        var plain = Compute("U1.C1", History("pp", 10, "ProgressPointCompleted", Completed("U1.C1")));
        var alias = Compute("U1.C1", History("pp", 10, "ProgressPointCompleted", new() { ["progressPointId"] = "U1.C1" }));
        var timed = Compute("U2.C2", DialogueHistory("s", 0, 20, 1), History("pp", 42, "ProgressPointCompleted", Completed("U2.C2")));

        Assert.Equal(new ProgressRow("org", "mhs", Player, "U1.C1", "green", null, null, null, At(10), Version("U1.C1"), "pp", Now), plain);
        Assert.Equal(plain, alias);
        Assert.NotNull(timed);
        Assert.Equal("green", timed.Status);
        Assert.Equal(42, timed.DurationSeconds);
        Assert.Equal("pp", timed.TriggerEventId);
    }

    [Fact]
    public void Reset_by_point_ids_removes_the_completion_and_a_later_completion_brings_it_back()
    {
        HistoryEvent[] before = [DialogueHistory("c1", 10, 31, 29), History("r1", 20, "ProgressReset", ResetPoints("U1.C1", "U2.C2"))];

        var removed = Compute("U1.C1", before);
        var back = Compute("U1.C1", [.. before, DialogueHistory("c2", 30, 31, 29)]);
        var other = Compute("U1.C2", [.. before, DialogueHistory("o1", 5, 30, 98)]);

        Assert.Null(removed);
        Assert.NotNull(back);
        Assert.Equal("c2", back.TriggerEventId);
        Assert.Equal(At(30), back.CompletedAt);
        Assert.NotNull(other);
        Assert.Equal("o1", other.TriggerEventId);
    }

    [Fact]
    public void Reset_from_a_point_covers_it_and_the_points_after_it_only()
    {
        HistoryEvent[] history =
        [
            DialogueHistory("s", 0, 20, 1),
            DialogueHistory("a", 10, 20, 26),
            DialogueHistory("b", 11, 20, 74),
            DialogueHistory("c", 12, 40, 12),
            History("reset", 20, "ProgressReset", ResetFrom("U2.C6")),
        ];

        Assert.NotNull(Compute("U2.C2", history));
        Assert.Null(Compute("U2.C7", history));
        Assert.Null(Compute("U3.C2", history));
        Assert.NotNull(Compute("U3.C2", [.. history, DialogueHistory("d", 30, 40, 13)]));
    }

    [Fact]
    public void Events_before_a_reset_neither_start_nor_count()
    {
        var row = Compute("U2.C7",
            DialogueHistory("s", 0, 20, 60),
            HelpAsked("h1", 1),
            HelpAsked("h2", 2),
            History("r", 3, "ProgressReset", ResetPoints("U2.C7")),
            HelpAsked("h3", 4),
            DialogueHistory("done", 5, 20, 74));

        Assert.NotNull(row);
        Assert.Equal("green", row.Status);
        Assert.Equal(1, row.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Issue_10_events_at_the_same_instant_are_ordered_by_arrival_not_by_event_id(bool resetArrivedFirst)
    {
        // As text "evt-10" sorts before "evt-9": only the arrival sequence may decide.
        var reset = History("evt-9", 10, "ProgressReset", ResetPoints("U1.C1"), seq: resetArrivedFirst ? 1 : 2);
        var completion = DialogueHistory("evt-10", 10, 31, 29, seq: resetArrivedFirst ? 2 : 1);

        var oneWay = Compute("U1.C1", reset, completion);
        var otherWay = Compute("U1.C1", completion, reset);

        Assert.Equal(resetArrivedFirst, oneWay is not null);
        Assert.Equal(oneWay, otherWay);
    }

    [Fact]
    public void Issue_10_a_start_in_the_same_second_as_the_completion_counts_only_when_it_arrived_first()
    {
        var startFirst = Compute("U2.C2", DialogueHistory("x-9", 50, 20, 1, seq: 1), DialogueHistory("x-10", 50, 20, 26, seq: 2));
        var startLast = Compute("U2.C2", DialogueHistory("x-10", 50, 20, 26, seq: 1), DialogueHistory("x-9", 50, 20, 1, seq: 2));

        Assert.Equal(0, startFirst?.DurationSeconds);
        Assert.Equal("green", startFirst?.Status);
        Assert.Null(startLast?.DurationSeconds);
        Assert.Equal("yellow", startLast?.Status);
    }

    [Fact]
    public void Issue_10_a_count_event_in_the_same_second_as_the_completion_counts_only_when_it_arrived_before_it()
    {
        HistoryEvent[] before = [HelpAsked("h-1", 9, seq: 1), HelpAsked("h-9", 10, seq: 2), DialogueHistory("h-10", 10, 20, 75, seq: 3)];
        HistoryEvent[] after = [HelpAsked("h-1", 9, seq: 1), DialogueHistory("h-10", 10, 20, 75, seq: 2), HelpAsked("h-9", 10, seq: 3)];

        Assert.Equal((2, "yellow"), (Compute("U2.C7", before)?.Count, Compute("U2.C7", before)?.Status));
        Assert.Equal((1, "green"), (Compute("U2.C7", after)?.Count, Compute("U2.C7", after)?.Status));
    }

    [Fact]
    public void History_order_does_not_change_the_row()
    {
        HistoryEvent[] history =
        [
            HelpAsked("h0", 1),
            DialogueHistory("s1", 2, 20, 60),
            HelpAsked("h1", 3),
            History("r", 4, "ProgressReset", ResetFrom("U2.C1")),
            DialogueHistory("s2", 5, 20, 60),
            HelpAsked("h2", 6),
            HelpAsked("h3", 6),
            DialogueHistory("done", 7, 20, 75),
            HelpAsked("h4", 7),
        ];
        var expected = Compute("U2.C7", history);

        var shuffled = Enumerable.Range(0, 20).Select(seed =>
        {
            var random = new Random(seed);
            return Compute("U2.C7", [.. history.OrderBy(_ => random.Next())]);
        }).ToList();

        Assert.NotNull(expected);
        Assert.Equal(2, expected.Count);
        Assert.All(shuffled, row => Assert.Equal(expected, row));
    }

    [Fact]
    public void No_start_and_no_completion_gives_no_row()
    {
        Assert.Null(Compute("U2.C2"));
        Assert.Null(Compute("U2.C2", HelpAsked("h", 1)));
    }

    [Fact]
    public void Issue_11_a_start_without_a_completion_gives_a_started_cell_since_the_latest_start()
    {
        var once = Compute("U2.C2", DialogueHistory("s", 0, 20, 1));
        var twice = Compute("U2.C7", DialogueHistory("s1", 0, 20, 60), HelpAsked("h", 1), DialogueHistory("s2", 30, 20, 60));

        Assert.Equal(new ProgressRow("org", "mhs", Player, "U2.C2", "started", null, null, null, At(0), Version("U2.C2"), "s", Now, StartedAt: At(0)), once);
        Assert.True(once!.IsStarted);
        Assert.Null(once.CompletionTime);
        Assert.Equal(("started", At(30), "s2"), (twice!.Status, twice.StartedAt, twice.TriggerEventId));
    }
}
