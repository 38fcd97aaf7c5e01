using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>
/// The event log contract (<see cref="IEventLog"/>): writes and deduplication, the outbox (jobs written with their
/// events), the timeline, the quarantine and its trim, counts, the order of histories, and the event export.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class EventLogCompliance : StoreFacts
{
    private protected EventLogCompliance(StoreMaker maker)
        : base(maker)
    {
    }

    [SkippableFact]
    public async Task Write_reports_new_and_duplicate_per_event_within_one_call_and_across_calls()
    {
        var first = await Store.Events.WriteAsync(
            [Batch(Event("e-1"), Event("e-2"), Event("e-1")), Batch(Event("e-2"), Event("e-3"))], None);
        var second = await Store.Events.WriteAsync([Batch(Event("e-3"), Event("e-4")), Batch()], None);

        Assert.Equal([[true, true, false], [false, true]], first);
        Assert.Equal([[false, true], []], second);
        Assert.Equal(4, await Store.Events.CountEventsAsync(Org, None));
    }

    [SkippableFact]
    public async Task Large_batches_report_new_and_duplicate_per_event_within_and_across_write_chunks()
    {
        await WriteEventsAsync(Event("e-50"));
        // 100 events: repeats inside the first rows, across the store's multi-row chunks, and of a stored event.
        var ids = Enumerable.Range(0, 100).Select(i => i switch
        {
            5 => "e-3",
            40 => "e-10",
            77 => "e-50",
            99 => "e-70",
            _ => $"e-{i}",
        }).ToList();

        var results = await WriteEventsAsync([.. ids.Select(id => Event(id, data: $$"""{"i":"{{id}}"}"""))]);

        var expected = ids.Select((id, i) => ids.IndexOf(id) == i && id != "e-50").ToArray();
        Assert.Equal(expected, results);
        Assert.Equal(ids.Distinct().Count(), await Store.Events.CountEventsAsync(Org, None));
    }

    [SkippableFact]
    public async Task The_idempotency_key_is_org_source_and_event_id()
    {
        var results = await WriteEventsAsync(
            Event("e-1"),
            Event("e-1", source: "src-2"),
            Event("e-1", org: OtherOrg),
            Event("e-1", game: OtherGame),
            Event("e-1", player: Ben, type: "Other"));

        Assert.Equal([true, true, true, false, false], results);
        Assert.Equal(3, await Store.Events.CountEventsAsync(null, None));
    }

    [SkippableFact]
    public async Task A_duplicate_does_not_replace_the_stored_event()
    {
        await WriteEventsAsync(Event("e-1", data: """{"v":"first"}"""));

        var again = await WriteEventsAsync(Event("e-1", data: """{"v":"second"}""", at: T0.AddHours(1)));

        Assert.Equal([false], again);
        var stored = Assert.Single(await TimelineAsync(Ada));
        Assert.Equal(("first", T0), (stored.Data.GetProperty("v").GetString(), stored.Timestamp));
    }

    [SkippableFact]
    public async Task Write_stores_rejected_records_and_directory_rows_with_the_events()
    {
        var batch = new WriteBatch(
            [Event("e-1")],
            [new RejectedRecord(Org, Game, "bad-1", Ada, """{"eventId":"bad-1","playerId":"pk-ada"}""", """[{"path":"timestamp","code":"required","message":"missing"}]"""),
             new RejectedRecord(Org, Game, null, null, "{not json", """[{"path":"","code":"json","message":"not JSON"}]""")],
            [new DirectoryEntry(Org, Ada, "ada@school.example"), new DirectoryEntry(Org, Ada, "ada@school.example")]);

        var results = await Store.Events.WriteAsync([batch, new WriteBatch([], [], [new DirectoryEntry(Org, Ben, "ben@school.example")])], None);

        Assert.Equal([[true], []], results);
        Assert.True(await Store.Directory.PlayerExistsAsync(Ada, None));
        Assert.True(await Store.Directory.PlayerExistsAsync(Ben, None));
        Assert.False(await Store.Directory.PlayerExistsAsync(Cy, None));
        var rejected = (await Store.Events.ListRejectedAsync(null, 10, null, None)).Items;
        Assert.Equal(2, rejected.Count);
        var withId = Assert.Single(rejected, r => r.EventId == "bad-1");
        Assert.Equal((Org, Game, Ada, """{"eventId":"bad-1","playerId":"pk-ada"}"""), (withId.OrgId, withId.Game, withId.PlayerKey, withId.Raw));
        Assert.Equal("required", withId.Reasons[0].GetProperty("code").GetString());
        var withoutId = Assert.Single(rejected, r => r.EventId is null);
        Assert.Null(withoutId.PlayerKey);
        Assert.Equal("{not json", withoutId.Raw);
        Assert.All(rejected, r => Assert.InRange(r.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [SkippableFact]
    public async Task Write_queues_jobs_only_for_new_events_with_points_and_a_player()
    {
        await WriteEventsAsync(
            Event("e-1", points: ["P1", "P2"]),
            Event("e-1", points: ["P1", "P2"]),
            Event("e-2", player: null, points: ["P1"]),
            Event("e-3", player: Ben),
            Event("e-4", player: Ben, points: []));
        await WriteEventsAsync(Event("e-1", points: ["P1", "P3"]));

        var jobs = await ClaimAsync("w", max: 100);

        Assert.Equal(
            [(Org, Game, Ada, "P1", 1L, 1, "e-1"), (Org, Game, Ada, "P2", 1L, 1, "e-1")],
            jobs.Select(j => (j.OrgId, j.Game, j.PlayerKey, j.Key, j.Version, j.Attempts, j.TriggerEventId)).OrderBy(j => j.Key, StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task A_new_trigger_for_a_queued_job_bumps_its_version_and_trigger()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]), Event("e-2", points: ["P1"]));
        await WriteEventsAsync(Event("e-3", points: ["P1"]));

        var job = Assert.Single(await ClaimAsync("w", max: 100));

        Assert.Equal((Ada, "P1", 3L, "e-3"), (job.PlayerKey, job.Key, job.Version, job.TriggerEventId));
        Assert.Equal(new JobCounts(0, 1, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    [SkippableFact]
    public async Task Timeline_returns_a_players_events_newest_first_as_written()
    {
        var precise = T0.AddTicks(1_234_560);
        await WriteEventsAsync(
            Event("e-old", at: T0),
            Event("e-other", player: Ben, at: T0.AddMinutes(1)),
            new EventRecord(Org, Game, "src-9", "e-full", "Full", precise.AddMinutes(2), Ada, "sess-1", "key-1",
                """{"a":[1,2],"b":{"c":"d"}}""", """{"os":"linux"}""", """{"level":3}""", "2", "sensitive"),
            Event("e-no-session", at: T0.AddMinutes(1)) with { SessionId = null });

        var page = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, 10, null), None);

        Assert.Null(page.NextCursor);
        Assert.Equal(["e-full", "e-no-session", "e-old"], page.Items.Select(e => e.EventId));
        var full = page.Items[0];
        Assert.Equal(
            ("Full", precise.AddMinutes(2), Game, "src-9", Ada, "sess-1", "key-1", "2", "sensitive"),
            (full.EventType, full.Timestamp, full.Game, full.Source, full.PlayerKey, full.SessionId, full.EventKey, full.SchemaVersion, full.PrivacyLevel));
        Assert.Equal(TimeSpan.Zero, full.Timestamp.Offset);
        Assert.Equal(2, full.Data.GetProperty("a")[1].GetInt32());
        Assert.Equal("d", full.Data.GetProperty("b").GetProperty("c").GetString());
        Assert.Equal("linux", full.Device!.Value.GetProperty("os").GetString());
        Assert.Equal(3, full.Context!.Value.GetProperty("level").GetInt32());
        var bare = page.Items[1];
        Assert.Null(bare.SessionId);
        Assert.Null(bare.EventKey);
        Assert.Null(bare.SchemaVersion);
        Assert.Null(bare.Device);
        Assert.Null(bare.Context);
        Assert.True(page.Items[0].Seq > page.Items[2].Seq);
        Assert.InRange(full.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [SkippableFact]
    public async Task Timeline_orders_events_of_the_same_instant_by_arrival_newest_first()
    {
        await WriteEventsAsync(Event("e-b"), Event("e-a"));
        await WriteEventsAsync(Event("e-c"));

        var events = await TimelineAsync(Ada);

        Assert.Equal(["e-c", "e-a", "e-b"], events.Select(e => e.EventId));
    }

    [SkippableFact]
    public async Task Timeline_since_is_inclusive_and_until_is_exclusive()
    {
        await WriteEventsAsync(Enumerable.Range(0, 10).Select(i => Event($"e-{i}", at: T0.AddMinutes(i))).ToArray());

        var between = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(2), T0.AddMinutes(5), 100, null), None);
        var since = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(8), null, 100, null), None);
        var until = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, T0.AddMinutes(1), 100, null), None);

        Assert.Equal(["e-4", "e-3", "e-2"], between.Items.Select(e => e.EventId));
        Assert.Equal(["e-9", "e-8"], since.Items.Select(e => e.EventId));
        Assert.Equal(["e-0"], until.Items.Select(e => e.EventId));
    }

    [SkippableFact]
    public async Task Timeline_cursor_pages_through_every_event_once_without_gaps()
    {
        // Pairs of events share an instant, so a page boundary falls between two events of one timestamp.
        var events = Enumerable.Range(0, 24).Select(i => Event($"e-{i:D2}", at: T0.AddSeconds(i / 2))).ToArray();
        await WriteEventsAsync(events[..10]);
        await WriteEventsAsync(events[10..]);
        await WriteEventsAsync(Event("e-ben", player: Ben, at: T0.AddSeconds(3)));
        var all = (await TimelineAsync(Ada)).Select(e => e.EventId).ToList();

        var pages = new List<IReadOnlyList<string>>();
        string? cursor = null;
        do
        {
            var page = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, 5, cursor), None);
            pages.Add(page.Items.Select(e => e.EventId).ToList());
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 20);
        var sixPerPage = new List<IReadOnlyList<string>>();
        cursor = null;
        do
        {
            var page = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, 6, cursor), None);
            sixPerPage.Add(page.Items.Select(e => e.EventId).ToList());
            cursor = page.NextCursor;
        }
        while (cursor is not null && sixPerPage.Count < 20);

        Assert.Equal(24, all.Count);
        Assert.Equal(events.Select(e => e.EventId).Reverse(), all);
        Assert.Equal([5, 5, 5, 5, 4], pages.Select(p => p.Count));
        Assert.Equal(all, pages.SelectMany(p => p));
        Assert.Equal([6, 6, 6, 6], sixPerPage.Select(p => p.Count));
        Assert.Equal(all, sixPerPage.SelectMany(p => p));
    }

    [SkippableFact]
    public async Task Timeline_cursor_keeps_the_since_and_until_window()
    {
        await WriteEventsAsync(Enumerable.Range(0, 10).Select(i => Event($"e-{i}", at: T0.AddMinutes(i))).ToArray());

        var first = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(2), T0.AddMinutes(8), 4, null), None);
        var second = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(2), T0.AddMinutes(8), 4, first.NextCursor), None);

        Assert.Equal(["e-7", "e-6", "e-5", "e-4"], first.Items.Select(e => e.EventId));
        Assert.Equal(["e-3", "e-2"], second.Items.Select(e => e.EventId));
        Assert.Null(second.NextCursor);
    }

    [SkippableFact]
    public async Task Timeline_of_an_unknown_player_is_empty()
    {
        await WriteEventsAsync(Event("e-1"));

        var page = await Store.Events.GetTimelineAsync(new TimelineQuery("pk-nobody", null, null, 10, null), None);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [SkippableFact]
    public async Task Issue_7_quarantine_cap_holds_per_org_and_game_so_one_flood_evicts_only_its_own_rows()
    {
        var store = await MigratedStoreAsync(o =>
        {
            o.MaxRejectedEvents = 5;
            o.MaxRejectedEventsPerOrg = 8;
        });
        await store.Events.WriteAsync([new WriteBatch([], [Rejected("quiet-1"), Rejected("quiet-2"), Rejected("quiet-3")], [])], None);

        // More writes than the write path waits between trims, each adding to the flooding org's two games.
        for (var i = 0; i < 120; i++)
        {
            await store.Events.WriteAsync([new WriteBatch([], [Rejected($"flood-x-{i}", OtherOrg), Rejected($"flood-y-{i}", OtherOrg, OtherGame)], [])], None);
        }
        var trimmedInline = (await store.Events.ListRejectedAsync(OtherOrg, 1000, null, None)).Items.Count;
        var deleted = await store.Events.TrimRejectedAsync(Now.AddDays(-30), None);

        var quiet = (await store.Events.ListRejectedAsync(Org, 100, null, None)).Items;
        Assert.Equal(["quiet-3", "quiet-2", "quiet-1"], quiet.Select(r => r.EventId));
        Assert.True(trimmedInline < 240, $"the write path trimmed nothing ({trimmedInline} rows)");
        var flood = (await store.Events.ListRejectedAsync(OtherOrg, 100, null, None)).Items;
        Assert.Equal(8, flood.Count);
        Assert.True(deleted > 0);
        Assert.Equal(["flood-x-119", "flood-x-118", "flood-x-117", "flood-x-116"], flood.Where(r => r.Game == Game).Select(r => r.EventId));
        Assert.Equal(["flood-y-119", "flood-y-118", "flood-y-117", "flood-y-116"], flood.Where(r => r.Game == OtherGame).Select(r => r.EventId));
    }

    [SkippableFact]
    public async Task Issue_7_quarantine_trim_deletes_rejected_events_older_than_the_max_age()
    {
        await Store.Events.WriteAsync([new WriteBatch([], [Rejected("old-1"), Rejected("old-2", OtherOrg)], [])], None);

        var keptWhenYounger = await Store.Events.TrimRejectedAsync(DateTimeOffset.UtcNow.AddHours(-1), None);
        var afterAgeLimit = await Store.Events.TrimRejectedAsync(DateTimeOffset.UtcNow.AddMinutes(1), None);

        Assert.Equal(0, keptWhenYounger);
        Assert.Equal(2, afterAgeLimit);
        Assert.Empty((await Store.Events.ListRejectedAsync(null, 10, null, None)).Items);
    }

    [SkippableFact]
    public async Task Rejected_events_page_newest_first_and_filter_by_org()
    {
        for (var i = 0; i < 7; i++)
        {
            var org = i % 3 == 2 ? OtherOrg : Org;
            await Store.Events.WriteAsync([new WriteBatch([], [Rejected($"r-{i}", org)], [])], None);
        }

        var pages = new List<IReadOnlyList<string?>>();
        string? cursor = null;
        do
        {
            var page = await Store.Events.ListRejectedAsync(Org, 2, cursor, None);
            pages.Add(page.Items.Select(r => r.EventId).ToList());
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 10);
        var everyOrg = await Store.Events.ListRejectedAsync(null, 100, null, None);
        var other = await Store.Events.ListRejectedAsync(OtherOrg, 100, null, None);
        var none = await Store.Events.ListRejectedAsync("org-none", 100, null, None);

        Assert.Equal([["r-6", "r-4"], ["r-3", "r-1"], ["r-0"]], pages);
        Assert.Equal(["r-6", "r-5", "r-4", "r-3", "r-2", "r-1", "r-0"], everyOrg.Items.Select(r => r.EventId));
        Assert.Null(everyOrg.NextCursor);
        Assert.Equal(["r-5", "r-2"], other.Items.Select(r => r.EventId));
        Assert.All(other.Items, r => Assert.Equal(OtherOrg, r.OrgId));
        Assert.Empty(none.Items);
        Assert.True(everyOrg.Items[0].Id > everyOrg.Items[1].Id);
    }

    [SkippableFact]
    public async Task CountEvents_counts_every_org_or_one()
    {
        await WriteEventsAsync(Event("e-1"), Event("e-2"), Event("e-3", org: OtherOrg), Event("e-1"));

        var all = await Store.Events.CountEventsAsync(null, None);
        var org = await Store.Events.CountEventsAsync(Org, None);
        var other = await Store.Events.CountEventsAsync(OtherOrg, None);
        var none = await Store.Events.CountEventsAsync("org-none", None);

        Assert.Equal((3L, 2L, 1L, 0L), (all, org, other, none));
    }

    [SkippableFact]
    public async Task GetHistory_returns_a_players_events_of_the_given_types_oldest_first()
    {
        await WriteEventsAsync(
            Event("e-3", at: T0.AddMinutes(3), type: "Start"),
            Event("e-1", at: T0.AddMinutes(1), type: "Done", data: """{"score":7}"""),
            Event("e-2", at: T0.AddMinutes(2), type: "Skip"),
            Event("e-4", at: T0, type: "Start", player: Ben),
            Event("e-5", at: T0, type: "Start", org: OtherOrg),
            Event("e-6", at: T0, type: "Start", game: OtherGame));

        var history = await Store.Events.GetHistoryAsync(Org, Game, Ada, ["Start", "Done"], None);
        var none = await Store.Events.GetHistoryAsync(Org, Game, Ada, ["Nothing"], None);

        Assert.Equal([("e-1", "Done", T0.AddMinutes(1)), ("e-3", "Start", T0.AddMinutes(3))],
            history.Select(h => (h.EventId, h.EventType, h.Timestamp)));
        Assert.Equal(7, history[0].Data.GetProperty("score").GetInt32());
        Assert.Empty(none);
    }

    [SkippableFact]
    public async Task Issue_10_history_and_timeline_order_events_of_one_instant_by_arrival_never_by_event_id()
    {
        // Every id below sorts (as text) against its arrival: "x-10" after "x-9", a UUID before a bigger one, and two
        // sources with the same (timestamp, eventId), which eventId order cannot tell apart at all.
        var bigger = "f0000000-0000-4000-8000-000000000000";
        var smaller = "0fffffff-ffff-4fff-8fff-ffffffffffff";
        (string Id, string Source)[] sent =
        [
            ("x-9", "src-1"), ("x-10", "src-1"), (bigger, "src-1"), (smaller, "src-1"),
            ("same", "src-z"), ("same", "src-a"), ("same", "src-m"), ("é-0", "src-1"), ("E-1", "src-1"), ("e_1", "src-1"),
        ];
        // Each event's data holds its place in arrival, so events of equal ids can be told apart in the history.
        var arrival = sent.Select((e, i) => Event(e.Id, source: e.Source, data: $$"""{"n":{{i}}}""")).ToArray();
        await WriteEventsAsync(arrival[..2]);
        await WriteEventsAsync(arrival[2]);
        await WriteEventsAsync(arrival[3..6]);
        await WriteEventsAsync(arrival[6..]);
        await WriteEventsAsync(Event("x-0", at: T0.AddTicks(-10)), Event("x-1", at: T0.AddTicks(10)));
        string[] oldestFirst = ["x-0/src-1", .. sent.Select(e => e.Id + "/" + e.Source), "x-1/src-1"];

        var history = await Store.Events.GetHistoryAsync(Org, Game, Ada, ["LevelDone"], None);
        var timeline = await TimelineAsync(Ada);
        var paged = new Dictionary<int, List<string>>();
        foreach (var limit in new[] { 1, 2, 3, 4 })
        {
            paged[limit] = [];
            string? cursor = null;
            do
            {
                var page = await Store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, limit, cursor), None);
                paged[limit].AddRange(page.Items.Select(e => e.EventId + "/" + e.Source));
                cursor = page.NextCursor;
            }
            while (cursor is not null && paged[limit].Count <= 2 * oldestFirst.Length);
        }

        Assert.Equal(oldestFirst.Select(k => k.Split('/')[0]), history.Select(h => h.EventId));
        Assert.Equal(Enumerable.Range(0, sent.Length), history.Skip(1).SkipLast(1).Select(h => h.Data.GetProperty("n").GetInt32()));
        var tied = history.Where(h => h.Timestamp == T0).Select(h => h.Seq).ToList();
        Assert.Equal(tied.Order(), tied);
        Assert.Equal(oldestFirst.Reverse(), timeline.Select(e => e.EventId + "/" + e.Source));
        Assert.Equal(history.Select(h => h.Seq).Reverse(), timeline.Select(e => e.Seq));
        Assert.All(paged.Values, p => Assert.Equal(oldestFirst.Reverse(), p));
    }

    [SkippableFact]
    public async Task Issue_10_a_start_and_a_completion_in_the_same_second_are_ordered_by_arrival_for_the_materializer()
    {
        // U2.C2 of catalogs/mhs.yaml: green when completed at most 300 s after the latest start before the completion.
        var catalog = Cairn.Catalogs.CatalogLoader.Load("mhs.yaml", await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot(), "catalogs", "mhs.yaml")));
        var point = catalog.PointsById["U2.C2"];
        const string start = """{"conversationId":20,"nodeId":1}""";
        const string done = """{"conversationId":20,"nodeId":26}""";
        EventRecord Dialogue(string id, string player, string data, string source = "src-1") =>
            Event(id, player, type: "DialogueEvent", game: "mhs", source: source, data: data);
        // Ada: the start arrives first in one request, with the id that sorts last.
        await WriteEventsAsync(Dialogue("x-9", Ada, start), Dialogue("x-10", Ada, done));
        // Ben: the completion arrives first (its own request), the start after it with the id that sorts first.
        await WriteEventsAsync(Dialogue("y-2", Ben, done));
        await WriteEventsAsync(Dialogue("y-1", Ben, start));
        // Cy: two sources give the same (timestamp, eventId): the start from one, then the completion from the other.
        await WriteEventsAsync(Dialogue("same", Cy, start, source: "src-z"));
        await WriteEventsAsync(Dialogue("same", Cy, done, source: "src-a"));

        async Task<(string?, double?, string?)> OutcomeAsync(string player)
        {
            var history = await Store.Events.GetHistoryAsync(Org, "mhs", player, [.. point.EventTypes], None);
            var row = Cairn.Progress.ProgressCalculator.Compute(catalog, point, Org, player, history, Now);
            return (row?.Status, row?.DurationSeconds, row?.TriggerEventId);
        }

        Assert.Equal(("green", 0, "x-10"), await OutcomeAsync(Ada));
        Assert.Equal(("yellow", null, "y-2"), await OutcomeAsync(Ben));
        Assert.Equal(("green", 0, "same"), await OutcomeAsync(Cy));
        Assert.Equal(["x-9", "x-10"], (await Store.Events.GetHistoryAsync(Org, "mhs", Ada, ["DialogueEvent"], None)).Select(h => h.EventId));
        Assert.Equal(["y-2", "y-1"], (await Store.Events.GetHistoryAsync(Org, "mhs", Ben, ["DialogueEvent"], None)).Select(h => h.EventId));
        Assert.Equal([1, 26], (await Store.Events.GetHistoryAsync(Org, "mhs", Cy, ["DialogueEvent"], None)).Select(h => h.Data.GetProperty("nodeId").GetInt32()));
    }

    [SkippableFact]
    public async Task Issue_10_ExportEvents_streams_events_by_time_then_arrival_filtered_by_org_players_game_and_window()
    {
        await WriteEventsAsync(Event("e-late", at: T0.AddMinutes(2)), Event("e-b", at: T0), Event("e-ben", player: Ben, at: T0.AddMinutes(1)));
        await WriteEventsAsync(Event("e-a", at: T0), Event("e-other-game", game: OtherGame, at: T0), Event("e-other-org", org: OtherOrg, at: T0),
            Event("e-anonymous", player: null, at: T0.AddMinutes(3)));

        async Task<string[]> ExportAsync(ExportFilter filter) => [.. (await Store.Events.ExportEventsAsync(filter, None).ToListAsync()).Select(e => e.EventId)];

        Assert.Equal(["e-b", "e-a", "e-other-game", "e-other-org", "e-ben", "e-late", "e-anonymous"], await ExportAsync(new ExportFilter(null, null, null, null, null)));
        Assert.Equal(["e-b", "e-a", "e-other-game", "e-ben", "e-late", "e-anonymous"], await ExportAsync(new ExportFilter(Org, null, null, null, null)));
        Assert.Equal(["e-b", "e-a", "e-ben", "e-late", "e-anonymous"], await ExportAsync(new ExportFilter(Org, null, Game, null, null)));
        Assert.Equal(["e-b", "e-a", "e-other-game", "e-late"], await ExportAsync(new ExportFilter(Org, [Ada], null, null, null)));
        Assert.Equal(["e-ben", "e-late"], await ExportAsync(new ExportFilter(Org, null, Game, T0.AddMinutes(1), T0.AddMinutes(3))));
        Assert.Empty(await ExportAsync(new ExportFilter("org-none", null, null, null, null)));
        var full = Assert.Single(await Store.Events.ExportEventsAsync(new ExportFilter(Org, [Ben], null, null, null), None).ToListAsync());
        Assert.Equal(("e-ben", "LevelDone", T0.AddMinutes(1), Game, "src-1", Ben, "sess-1", "standard"),
            (full.EventId, full.EventType, full.Timestamp, full.Game, full.Source, full.PlayerKey, full.SessionId, full.PrivacyLevel));
        Assert.Equal(1, full.Data.GetProperty("n").GetInt32());
    }
}
