using System.Text.Json.Nodes;
using Cairn.Tests.Support;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.Progress;

/// <summary>
/// The same events, delivered in any order, in any batches, with duplicates and with jobs run at any moment
/// in between, end in the same progress rows: the pipeline, the store's outbox and the materializer together.
/// Delivery order decides only between events of one player at one instant (by arrival); the scenario's one such
/// pair (c2, c3) concerns two different points, so no order of delivery can change a row.
/// </summary>
public sealed class OrderIndependenceTests
{
    private const string Ana = "ana@school.example";
    private const string Ben = "ben@school.example";
    private const string Cho = "cho@school.example";

    private static readonly JsonObject[] Scenario =
    [
        DialogueEvent("a1", Ana, 0, 20, 1),
        DialogueEvent("a2", Ana, 120, 20, 26),
        DialogueEvent("a3", Ana, 200, 20, 60),
        DialogueEvent("a4", Ana, 210, 20, 33),
        DialogueEvent("a5", Ana, 220, 20, 33),
        DialogueEvent("a6", Ana, 230, 20, 75),
        DialogueEvent("a7", Ana, 240, 40, 12),
        Event("a8", Ana, 250, "ProgressReset", ResetFrom("U3.C1")),
        DialogueEvent("a9", Ana, 260, 40, 13),
        DialogueEvent("b1", Ben, 0, 31, 29),
        Event("b2", Ben, 10, "ProgressReset", ResetPoints("U1.C1")),
        DialogueEvent("b3", Ben, 5, 20, 1),
        DialogueEvent("b4", Ben, 400, 20, 26),
        Event("b5", Ben, 500, "ProgressPointCompleted", Completed("U2.C5")),
        DialogueEvent("c1", Cho, 0, 20, 33),
        DialogueEvent("c2", Cho, 50, 20, 74),
        Event("c3", Cho, 50, "questEvent", new() { ["questEventType"] = "questFinishEvent", ["questId"] = 21 }),
        Event("c4", Cho, 60, "questEvent", new() { ["questEventType"] = "questStartEvent", ["questId"] = 99 }),
        Event("n1", null, 70, "DialogueEvent", Dialogue(20, 26)),
    ];

    private static List<string> Expected(ProgressHarness h)
    {
        string Line(string player, string point, string status, string score, string duration, string count, double at, string trigger) =>
            $"{h.KeyOf(player)} {point} {status} score={score} duration={duration} count={count} at={ProgressHarness.Micros(At(at))} trigger={trigger} "
            + $"version={h.Catalogs.Current.Games["mhs"].PointsById[point].Version}";
        return
        [
            .. new[]
            {
                Line(Ana, "U2.C2", "green", "120.0", "120.0", "-", 120, "a2"),
                Line(Ana, "U2.C7", "yellow", "2.0", "30.0", "2", 230, "a6"),
                Line(Ana, "U3.C2", "green", "-", "-", "-", 260, "a9"),
                Line(Ben, "U2.C2", "yellow", "395.0", "395.0", "-", 400, "b4"),
                Line(Ben, "U2.C5", "yellow", "-", "-", "-", 500, "b5"),
                Line(Cho, "U2.C1", "green", "-", "-", "-", 50, "c3"),
                Line(Cho, "U2.C7", "green", "1.0", "-", "1", 50, "c2"),
            }.Order(StringComparer.Ordinal),
        ];
    }

    [Fact]
    public async Task Trigger_events_are_stored_with_their_event_key_and_others_without()
    {
        await using var h = await ProgressHarness.StartAsync("mhs.yaml");

        await h.IngestAsync(Scenario);

        var keys = Database.Column(h.DatabasePath, "SELECT event_id || '=' || IFNULL(event_key, '') FROM events ORDER BY event_id;");
        Assert.Equal(
            ["a1=dialogue:20:1", "a2=dialogue:20:26", "a3=dialogue:20:60", "a4=dialogue:20:33", "a5=dialogue:20:33", "a6=dialogue:20:75",
             "a7=dialogue:40:12", "a8=reset", "a9=dialogue:40:13", "b1=dialogue:31:29", "b2=reset", "b3=dialogue:20:1", "b4=dialogue:20:26",
             "b5=pp:U2.C5", "c1=dialogue:20:33", "c2=dialogue:20:74", "c3=quest:questFinishEvent:21", "c4=", "n1=dialogue:20:26"],
            keys);
    }

    [Fact]
    public async Task Jobs_coalesce_per_player_and_point_and_events_without_a_player_queue_none()
    {
        await using var h = await ProgressHarness.StartAsync("mhs.yaml");

        await h.IngestAsync(Scenario);

        var jobs = Database.Column(h.DatabasePath, "SELECT player_key || ' ' || job_key || ' v' || version FROM jobs WHERE projection = 'progress' ORDER BY player_key, job_key;");
        string Job(string player, string point, int version) => $"{h.KeyOf(player)} {point} v{version}";
        Assert.Equal(
            new[]
            {
                // Ana's reset from U3.C1 queues U3.C1 and U3.C2 (and the later U3.C2 completion coalesces into it).
                Job(Ana, "U2.C2", 2), Job(Ana, "U2.C7", 4), Job(Ana, "U3.C1", 1), Job(Ana, "U3.C2", 3),
                Job(Ben, "U1.C1", 2), Job(Ben, "U2.C2", 2), Job(Ben, "U2.C5", 1),
                Job(Cho, "U2.C1", 1), Job(Cho, "U2.C7", 2),
            }.Order(StringComparer.Ordinal),
            jobs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Any_delivery_order_with_duplicates_and_interleaved_jobs_gives_the_golden_rows(int seed)
    {
        var random = new Random(seed);
        var delivery = Scenario.Concat(Enumerable.Range(0, 6).Select(_ => Scenario[random.Next(Scenario.Length)])).OrderBy(_ => random.Next()).ToList();
        await using var h = await ProgressHarness.StartAsync("mhs.yaml");
        var runner = h.Runner(options: new Cairn.Jobs.JobOptions { BatchSize = 1 + random.Next(4) });

        var inserted = 0;
        for (var next = 0; next < delivery.Count;)
        {
            var size = 1 + random.Next(4);
            inserted += (await h.IngestAsync(delivery.Skip(next).Take(size))).Count(x => x);
            next += size;
            if (random.Next(2) == 0)
            {
                await runner.RunOnceAsync("worker-" + random.Next(3), CancellationToken.None);
            }
        }
        await h.DrainAsync(runner: runner);

        Assert.Equal(Scenario.Length, inserted);
        Assert.Equal(Expected(h), h.Rows());
        Assert.Equal(0, h.JobRows());
        Assert.Equal(0, Database.Scalar(h.DatabasePath, "SELECT COUNT(*) FROM dead_jobs;"));
    }
}
