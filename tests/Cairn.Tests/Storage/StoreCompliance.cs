using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>
/// The store contract (<see cref="Stores"/>), fact by fact, without HTTP. Every store runs all of it: a subclass
/// only says how to create an empty store (wolverine's MessageStoreCompliance).
/// </summary>
public abstract class StoreCompliance : IAsyncLifetime
{
    private const string Org = "org-a";
    private const string OtherOrg = "org-b";
    private const string Game = "game-x";
    private const string OtherGame = "game-y";
    private const string Ada = "pk-ada";
    private const string Ben = "pk-ben";
    private const string Cy = "pk-cy";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly List<Stores> _stores = [];
    private Stores _store = null!;

    /// <summary>
    /// Stores stamp new jobs with the wall clock: this clock starts an hour ahead (on a whole second) so they are due
    /// on it; lease and retry facts move it further.
    /// </summary>
    private ManualTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()));

    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>A new, empty store that is not migrated yet, with its options changed by <paramref name="configure"/>. A fact may ask for more than one.</summary>
    private protected abstract Task<Stores> CreateStoreAsync(Action<StorageOptions>? configure = null);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made (directories, databases), after its stores are disposed; may run twice.</summary>
    protected abstract Task CleanUpAsync();

    public async Task InitializeAsync()
    {
        try
        {
            _store = await MigratedStoreAsync();
        }
        catch
        {
            // xUnit does not dispose a test class whose initialization failed: a database made for it would be left behind.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        _stores.Clear();
        await CleanUpAsync();
    }

    private async Task<Stores> NewStoreAsync(Action<StorageOptions>? configure = null)
    {
        var store = await CreateStoreAsync(configure);
        _stores.Add(store);
        return store;
    }

    private async Task<Stores> MigratedStoreAsync(Action<StorageOptions>? configure = null)
    {
        var store = await NewStoreAsync(configure);
        await store.Schema.MigrateAsync(None);
        return store;
    }

    // ---- schema

    [SkippableFact]
    public async Task A_new_store_is_not_ready_until_it_is_migrated()
    {
        var store = await NewStoreAsync();

        var before = await store.Schema.IsReadyAsync(None);
        await store.Schema.MigrateAsync(None);
        var after = await store.Schema.IsReadyAsync(None);

        Assert.False(before);
        Assert.True(after);
    }

    [SkippableFact]
    public async Task Migrating_again_is_a_no_op_that_keeps_the_data()
    {
        await WriteEventsAsync(Event("e-1"));

        await _store.Schema.MigrateAsync(None);
        await _store.Schema.MigrateAsync(None);

        Assert.True(await _store.Schema.IsReadyAsync(None));
        Assert.Equal(1, await _store.Events.CountEventsAsync(null, None));
        Assert.Equal("e-1", Assert.Single(await TimelineAsync(Ada)).EventId);
    }

    // ---- writes

    [SkippableFact]
    public async Task Write_reports_new_and_duplicate_per_event_within_one_call_and_across_calls()
    {
        var first = await _store.Events.WriteAsync(
            [Batch(Event("e-1"), Event("e-2"), Event("e-1")), Batch(Event("e-2"), Event("e-3"))], None);
        var second = await _store.Events.WriteAsync([Batch(Event("e-3"), Event("e-4")), Batch()], None);

        Assert.Equal([[true, true, false], [false, true]], first);
        Assert.Equal([[false, true], []], second);
        Assert.Equal(4, await _store.Events.CountEventsAsync(Org, None));
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
        Assert.Equal(ids.Distinct().Count(), await _store.Events.CountEventsAsync(Org, None));
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
        Assert.Equal(3, await _store.Events.CountEventsAsync(null, None));
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

        var results = await _store.Events.WriteAsync([batch, new WriteBatch([], [], [new DirectoryEntry(Org, Ben, "ben@school.example")])], None);

        Assert.Equal([[true], []], results);
        Assert.True(await _store.Directory.PlayerExistsAsync(Ada, None));
        Assert.True(await _store.Directory.PlayerExistsAsync(Ben, None));
        Assert.False(await _store.Directory.PlayerExistsAsync(Cy, None));
        var rejected = (await _store.Events.ListRejectedAsync(null, 10, null, None)).Items;
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
    public async Task Rekey_moves_a_players_quarantined_events_and_the_key_quoted_in_their_payload()
    {
        const string NewKey = "p2_ada";
        await _store.Events.WriteAsync([new WriteBatch(
            [Event("e-1")],
            [new RejectedRecord(Org, Game, "bad-1", Ada, $$"""{"eventId":"bad-1","playerKey":"{{Ada}}"}""", """[{"path":"timestamp","code":"required","message":"missing"}]""")],
            [new DirectoryEntry(Org, Ada, "ada@school.example")])], None);

        await _store.Privacy.RekeyPlayerAsync(Ada, NewKey, None);

        var rejected = Assert.Single((await _store.Events.ListRejectedAsync(null, 10, null, None)).Items);
        Assert.Equal((NewKey, $$"""{"eventId":"bad-1","playerKey":"{{NewKey}}"}"""), (rejected.PlayerKey, rejected.Raw));
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
        Assert.Equal(new JobCounts(0, 1, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    // ---- timeline

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

        var page = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, 10, null), None);

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

        var between = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(2), T0.AddMinutes(5), 100, null), None);
        var since = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(8), null, 100, null), None);
        var until = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, T0.AddMinutes(1), 100, null), None);

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
            var page = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, 5, cursor), None);
            pages.Add(page.Items.Select(e => e.EventId).ToList());
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 20);
        var sixPerPage = new List<IReadOnlyList<string>>();
        cursor = null;
        do
        {
            var page = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, 6, cursor), None);
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

        var first = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(2), T0.AddMinutes(8), 4, null), None);
        var second = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, T0.AddMinutes(2), T0.AddMinutes(8), 4, first.NextCursor), None);

        Assert.Equal(["e-7", "e-6", "e-5", "e-4"], first.Items.Select(e => e.EventId));
        Assert.Equal(["e-3", "e-2"], second.Items.Select(e => e.EventId));
        Assert.Null(second.NextCursor);
    }

    [SkippableFact]
    public async Task Timeline_of_an_unknown_player_is_empty()
    {
        await WriteEventsAsync(Event("e-1"));

        var page = await _store.Events.GetTimelineAsync(new TimelineQuery("pk-nobody", null, null, 10, null), None);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    // ---- quarantine, counts, directory, keys

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
        await _store.Events.WriteAsync([new WriteBatch([], [Rejected("old-1"), Rejected("old-2", OtherOrg)], [])], None);

        var keptWhenYounger = await _store.Events.TrimRejectedAsync(DateTimeOffset.UtcNow.AddHours(-1), None);
        var afterAgeLimit = await _store.Events.TrimRejectedAsync(DateTimeOffset.UtcNow.AddMinutes(1), None);

        Assert.Equal(0, keptWhenYounger);
        Assert.Equal(2, afterAgeLimit);
        Assert.Empty((await _store.Events.ListRejectedAsync(null, 10, null, None)).Items);
    }

    [SkippableFact]
    public async Task Rejected_events_page_newest_first_and_filter_by_org()
    {
        for (var i = 0; i < 7; i++)
        {
            var org = i % 3 == 2 ? OtherOrg : Org;
            await _store.Events.WriteAsync([new WriteBatch([], [Rejected($"r-{i}", org)], [])], None);
        }

        var pages = new List<IReadOnlyList<string?>>();
        string? cursor = null;
        do
        {
            var page = await _store.Events.ListRejectedAsync(Org, 2, cursor, None);
            pages.Add(page.Items.Select(r => r.EventId).ToList());
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 10);
        var everyOrg = await _store.Events.ListRejectedAsync(null, 100, null, None);
        var other = await _store.Events.ListRejectedAsync(OtherOrg, 100, null, None);
        var none = await _store.Events.ListRejectedAsync("org-none", 100, null, None);

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

        var all = await _store.Events.CountEventsAsync(null, None);
        var org = await _store.Events.CountEventsAsync(Org, None);
        var other = await _store.Events.CountEventsAsync(OtherOrg, None);
        var none = await _store.Events.CountEventsAsync("org-none", None);

        Assert.Equal((3L, 2L, 1L, 0L), (all, org, other, none));
    }

    [SkippableFact]
    public async Task An_event_alone_does_not_put_its_player_in_the_directory()
    {
        await WriteEventsAsync(Event("e-1"));

        var exists = await _store.Directory.PlayerExistsAsync(Ada, None);

        Assert.False(exists);
    }

    [SkippableFact]
    public async Task An_api_key_is_found_by_its_hash()
    {
        var createdAt = T0.AddTicks(70);
        await _store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-1", "hash-1", Org, Game, createdAt, null), None);
        await _store.Access.CreateApiKeyAsync(new ApiKeyRecord("key-2", "hash-2", OtherOrg, OtherGame, T0, null), None);

        var found = await _store.Access.FindApiKeyAsync("hash-1", None);
        var missing = await _store.Access.FindApiKeyAsync("hash-3", None);

        Assert.Equal(new ApiKeyRecord("key-1", "hash-1", Org, Game, createdAt, null), found);
        Assert.Null(missing);
    }

    // ---- jobs

    [SkippableFact]
    public async Task ClaimJobs_leases_at_most_max_due_jobs_that_nobody_holds()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1", "P2", "P3"]));

        var first = await ClaimAsync("w-1", max: 2);
        var second = await ClaimAsync("w-2", max: 2);
        var third = await ClaimAsync("w-3", max: 2);

        Assert.Equal(2, first.Count);
        Assert.Single(second);
        Assert.Empty(third);
        Assert.Equal(["P1", "P2", "P3"], first.Concat(second).Select(j => j.Key).Order(StringComparer.Ordinal));
        Assert.All(first.Concat(second), j => Assert.Equal(1, j.Attempts));
        Assert.Equal(new JobCounts(0, 3, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    [SkippableFact]
    public async Task A_job_is_not_claimed_before_its_run_after()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));
        await _store.Jobs.FailJobAsync(job, "w", "try later", Now.AddMinutes(10), Now, None);

        var early = await _store.Jobs.ClaimJobsAsync("w", 10, Lease, Now.AddMinutes(10).AddSeconds(-1), None);
        var due = await _store.Jobs.ClaimJobsAsync("w", 10, Lease, Now.AddMinutes(10), None);

        Assert.Empty(early);
        var again = Assert.Single(due);
        Assert.Equal((job.Id, job.Version, 2), (again.Id, again.Version, again.Attempts));
    }

    [SkippableFact]
    public async Task An_expired_lease_can_be_claimed_by_another_worker()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var byA = Assert.Single(await ClaimAsync("w-a"));

        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        var whileHeld = await ClaimAsync("w-b");
        Clock.Advance(TimeSpan.FromSeconds(2));
        var afterExpiry = await ClaimAsync("w-b");

        Assert.Empty(whileHeld);
        var byB = Assert.Single(afterExpiry);
        Assert.Equal((byA.Id, byA.Version, 2), (byB.Id, byB.Version, byB.Attempts));
        Assert.Equal(new JobCounts(0, 1, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    [SkippableFact]
    public async Task CompleteJob_stores_the_row_and_deletes_the_job_when_its_version_did_not_move()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));
        var row = Row(Ada, "P1");

        var done = (await _store.Jobs.CompleteJobsAsync([new JobCompletion(job, row)], "w", Now, None))[0];

        Assert.True(done);
        Assert.Equal(new JobCounts(0, 0, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Equal([row], await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Empty(await ClaimAsync("w"));
    }

    [SkippableFact]
    public async Task CompleteJob_leaves_the_job_queued_when_a_new_trigger_bumped_its_version()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));
        await WriteEventsAsync(Event("e-2", points: ["P1"]));
        var row = Row(Ada, "P1");

        var done = (await _store.Jobs.CompleteJobsAsync([new JobCompletion(job, row)], "w", Now, None))[0];

        Assert.False(done);
        Assert.Equal([row], await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal(new JobCounts(1, 0, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        var rerun = Assert.Single(await ClaimAsync("w"));
        Assert.Equal((job.Id, 2L, 1, "e-2"), (rerun.Id, rerun.Version, rerun.Attempts, rerun.TriggerEventId));
        Assert.True((await _store.Jobs.CompleteJobsAsync([new JobCompletion(rerun, row)], "w", Now, None))[0]);
        Assert.Equal(new JobCounts(0, 0, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    [SkippableFact]
    public async Task CompleteJob_refuses_a_worker_that_no_longer_holds_the_lease_and_writes_nothing()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var byA = Assert.Single(await ClaimAsync("w-a"));
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var byB = Assert.Single(await ClaimAsync("w-b"));
        var latest = await _store.Progress().GetLatestChangeAsync(None);

        var lateA = (await _store.Jobs.CompleteJobsAsync([new JobCompletion(byA, Row(Ada, "P1"))], "w-a", Now, None))[0];

        Assert.False(lateA);
        Assert.Empty(await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal(latest, await _store.Progress().GetLatestChangeAsync(None));
        Assert.Equal(new JobCounts(0, 1, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.True((await _store.Jobs.CompleteJobsAsync([new JobCompletion(byB, Row(Ada, "P1", updatedAt: Now))], "w-b", Now, None))[0]);
        Assert.Single(await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
    }

    [SkippableFact]
    public async Task Issue_10_CompleteJobs_stores_a_claims_results_in_one_call_each_job_on_its_own_terms_changes_in_the_given_order()
    {
        var group = await GroupWithAsync(Ada, Ben, Cy);
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var lostByA = Assert.Single(await ClaimAsync("w-a"));
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var takenByB = Assert.Single(await ClaimAsync("w-b"));
        await WriteEventsAsync(Event("e-2", Ben, points: ["P1"]), Event("e-3", Cy, points: ["P1"]));
        var claimed = await ClaimAsync("w-a");
        var ben = Assert.Single(claimed, j => j.PlayerKey == Ben);
        var cy = Assert.Single(claimed, j => j.PlayerKey == Cy);
        await WriteEventsAsync(Event("e-4", Cy, points: ["P1"]));
        var before = await _store.Progress().GetLatestChangeAsync(None);

        var gone = await _store.Jobs.CompleteJobsAsync(
            [new JobCompletion(cy, Row(Cy, "P1")), new JobCompletion(lostByA, Row(Ada, "P1")), new JobCompletion(ben, Row(Ben, "P1"))],
            "w-a", Now, None);

        Assert.Equal([false, false, true], gone);
        Assert.Empty(await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal([Row(Ben, "P1")], await _store.Progress().GetPlayerProgressAsync(Ben, null, None));
        Assert.Equal([Row(Cy, "P1")], await _store.Progress().GetPlayerProgressAsync(Cy, null, None));
        var changes = await _store.Progress().GetGroupChangesAsync(group, before, 100, None);
        Assert.Equal([(Cy, "P1"), (Ben, "P1")], changes.Select(c => (c.PlayerKey, c.PointId)));
        Assert.True(changes[0].Seq < changes[1].Seq);
        Assert.Equal(new JobCounts(1, 1, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        var rerun = Assert.Single(await ClaimAsync("w-a"));
        Assert.Equal((cy.Id, cy.Version + 1, "e-4"), (rerun.Id, rerun.Version, rerun.TriggerEventId));
        Assert.Equal([true], await _store.Jobs.CompleteJobsAsync([new JobCompletion(takenByB, Row(Ada, "P1"))], "w-b", Now, None));
        Assert.Equal([Row(Ada, "P1")], await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Empty(await _store.Jobs.CompleteJobsAsync([], "w-a", Now, None));
    }

    [SkippableFact]
    public async Task FailJob_with_a_retry_time_frees_the_job_and_keeps_its_attempts()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));

        await _store.Jobs.FailJobAsync(job, "w", "boom", Now.AddSeconds(5), Now, None);

        Assert.Equal(new JobCounts(1, 0, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Empty(await _store.Jobs.ListDeadJobsAsync(10, None));
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Assert.Single(await ClaimAsync("w")).Attempts);
    }

    [SkippableFact]
    public async Task FailJob_without_a_retry_time_dead_letters_the_job_with_its_error()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var first = Assert.Single(await ClaimAsync("w"));
        await _store.Jobs.FailJobAsync(first, "w", "boom 1", Now, Now, None);
        var second = Assert.Single(await ClaimAsync("w"));

        await _store.Jobs.FailJobAsync(second, "w", "boom 2", null, Now.AddTicks(30), None);

        Assert.Equal(new JobCounts(0, 0, 1), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        var dead = Assert.Single(await _store.Jobs.ListDeadJobsAsync(10, None));
        Assert.Equal((Org, Game, Ada, "P1", "e-1", 2, "boom 2", Now.AddTicks(30)),
            (dead.OrgId, dead.Game, dead.PlayerKey, dead.Key, dead.TriggerEventId, dead.Attempts, dead.LastError, dead.FailedAt));
        Assert.Empty(await ClaimAsync("w"));
    }

    [SkippableFact]
    public async Task FailJob_by_a_worker_that_no_longer_holds_the_lease_changes_nothing()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var byA = Assert.Single(await ClaimAsync("w-a"));
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Single(await ClaimAsync("w-b"));

        await _store.Jobs.FailJobAsync(byA, "w-a", "late", null, Now, None);
        await _store.Jobs.FailJobAsync(byA, "w-a", "late", Now, Now, None);

        Assert.Equal(new JobCounts(0, 1, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Empty(await _store.Jobs.ListDeadJobsAsync(10, None));
    }

    [SkippableFact]
    public async Task Dead_jobs_are_listed_newest_first_up_to_the_limit()
    {
        await KillJobsAsync(("P1", "e-1"), ("P2", "e-2"), ("P3", "e-3"));

        var two = await _store.Jobs.ListDeadJobsAsync(2, None);
        var all = await _store.Jobs.ListDeadJobsAsync(10, None);

        Assert.Equal(["P3", "P2"], two.Select(d => d.Key));
        Assert.Equal(["P3", "P2", "P1"], all.Select(d => d.Key));
        Assert.True(all[0].Id > all[1].Id && all[1].Id > all[2].Id);
    }

    [SkippableFact]
    public async Task RetryDeadJobs_requeues_one_dead_job_by_id_or_all_of_them()
    {
        await KillJobsAsync(("P1", "e-1"), ("P2", "e-2"), ("P3", "e-3"));
        var p2 = Assert.Single(await _store.Jobs.ListDeadJobsAsync(10, None), d => d.Key == "P2");

        var one = await _store.Jobs.RetryDeadJobsAsync(p2.Id, Now, None);
        var unknown = await _store.Jobs.RetryDeadJobsAsync(p2.Id + 1000, Now, None);
        var requeued = Assert.Single(await ClaimAsync("w"));
        var rest = await _store.Jobs.RetryDeadJobsAsync(null, Now, None);
        var nothingLeft = await _store.Jobs.RetryDeadJobsAsync(null, Now, None);

        Assert.Equal((1, 0, 2, 0), (one, unknown, rest, nothingLeft));
        Assert.Equal((Ada, "P2", 1, "e-2"), (requeued.PlayerKey, requeued.Key, requeued.Attempts, requeued.TriggerEventId));
        Assert.Empty(await _store.Jobs.ListDeadJobsAsync(10, None));
        Assert.Equal(new JobCounts(2, 1, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Equal(["P1", "P3"], (await ClaimAsync("w")).Select(j => j.Key).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task RetryDeadJobs_merges_dead_jobs_of_one_player_and_point_with_each_other_and_a_queued_job()
    {
        await KillJobsAsync(("P1", "e-1"));
        await KillJobsAsync(("P1", "e-2"));
        await KillJobsAsync(("P2", "e-3"));
        await WriteEventsAsync(Event("e-4", points: ["P2"]));

        var retried = await _store.Jobs.RetryDeadJobsAsync(null, Now, None);

        Assert.Equal(3, retried);
        Assert.Equal(new JobCounts(2, 0, 0), (await _store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        var jobs = await ClaimAsync("w");
        Assert.Equal(["P1", "P2"], jobs.Select(j => j.Key).Order(StringComparer.Ordinal));
        Assert.True(Assert.Single(jobs, j => j.Key == "P2").Version > 1);
    }

    [SkippableFact]
    public async Task CountJobs_counts_pending_leased_and_dead_jobs()
    {
        await KillJobsAsync(("P9", "e-9"));
        await WriteEventsAsync(Event("e-1", points: ["P1", "P2", "P3"]));
        Assert.Equal(2, (await ClaimAsync("w", max: 2)).Count);

        var counts = await _store.Jobs.CountJobsAsync(None);

        Assert.Equal(new JobCounts(1, 2, 1), counts with { OldestPending = null });
    }

    [SkippableFact]
    public async Task CountJobs_gives_the_earliest_run_after_of_the_jobs_not_leased_and_none_when_there_are_none()
    {
        Assert.Null((await _store.Jobs.CountJobsAsync(None)).OldestPending);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await WriteEventsAsync(Event("e-1", points: ["P1", "P2"]));

        var pending = (await _store.Jobs.CountJobsAsync(None)).OldestPending;
        Assert.Equal(2, (await ClaimAsync("w", max: 2)).Count);
        var allLeased = (await _store.Jobs.CountJobsAsync(None)).OldestPending;

        Assert.NotNull(pending);
        Assert.InRange(pending.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(TimeSpan.Zero, pending.Value.Offset);
        Assert.Null(allLeased);
    }

    [SkippableFact]
    public async Task EnqueueStaleRecomputes_queues_the_rows_of_a_point_computed_with_another_score_version()
    {
        await MaterializeAsync(Row(Ada, "P1", version: "v1"));
        await MaterializeAsync(Row(Ben, "P1", version: "v1"));
        await MaterializeAsync(Row(Cy, "P1", version: "v2"));
        await MaterializeAsync(Row(Ada, "P2", version: "v1"));
        await MaterializeAsync(Row(Ada, "P1", version: "v1", game: OtherGame));

        var toV1 = await _store.Progress().EnqueueStaleRecomputesAsync(Game, "P1", "v1", Now, None);
        var toV2 = await _store.Progress().EnqueueStaleRecomputesAsync(Game, "P1", "v2", Now, None);

        Assert.Equal(1, toV1);
        Assert.Equal(2, toV2);
        var jobs = await ClaimAsync("w", max: 100);
        Assert.Equal([(Game, Ada, "P1"), (Game, Ben, "P1"), (Game, Cy, "P1")],
            jobs.Select(j => (j.Game, j.PlayerKey, j.Key)).Order());
    }

    // ---- progress

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

        var history = await _store.Events.GetHistoryAsync(Org, Game, Ada, ["Start", "Done"], None);
        var none = await _store.Events.GetHistoryAsync(Org, Game, Ada, ["Nothing"], None);

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

        var history = await _store.Events.GetHistoryAsync(Org, Game, Ada, ["LevelDone"], None);
        var timeline = await TimelineAsync(Ada);
        var paged = new Dictionary<int, List<string>>();
        foreach (var limit in new[] { 1, 2, 3, 4 })
        {
            paged[limit] = [];
            string? cursor = null;
            do
            {
                var page = await _store.Events.GetTimelineAsync(new TimelineQuery(Ada, null, null, limit, cursor), None);
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
            var history = await _store.Events.GetHistoryAsync(Org, "mhs", player, [.. point.EventTypes], None);
            var row = Cairn.Progress.ProgressCalculator.Compute(catalog, point, Org, player, history, Now);
            return (row?.Status, row?.DurationSeconds, row?.TriggerEventId);
        }

        Assert.Equal(("green", 0, "x-10"), await OutcomeAsync(Ada));
        Assert.Equal(("yellow", null, "y-2"), await OutcomeAsync(Ben));
        Assert.Equal(("green", 0, "same"), await OutcomeAsync(Cy));
        Assert.Equal(["x-9", "x-10"], (await _store.Events.GetHistoryAsync(Org, "mhs", Ada, ["DialogueEvent"], None)).Select(h => h.EventId));
        Assert.Equal(["y-2", "y-1"], (await _store.Events.GetHistoryAsync(Org, "mhs", Ben, ["DialogueEvent"], None)).Select(h => h.EventId));
        Assert.Equal([1, 26], (await _store.Events.GetHistoryAsync(Org, "mhs", Cy, ["DialogueEvent"], None)).Select(h => h.Data.GetProperty("nodeId").GetInt32()));
    }

    [SkippableFact]
    public async Task GetPlayerProgress_returns_a_players_rows_by_game_and_point_for_every_game_or_one()
    {
        var rows = new[]
        {
            Row(Ada, "P2"),
            Row(Ada, "P1", status: "yellow", score: null) with { DurationSeconds = null, Count = null },
            Row(Ada, "P1", game: OtherGame),
            Row(Ben, "P1"),
        };
        foreach (var row in rows)
        {
            await MaterializeAsync(row);
        }

        var all = await _store.Progress().GetPlayerProgressAsync(Ada, null, None);
        var one = await _store.Progress().GetPlayerProgressAsync(Ada, OtherGame, None);
        var none = await _store.Progress().GetPlayerProgressAsync(Cy, null, None);

        Assert.Equal([rows[1], rows[0], rows[2]], all);
        Assert.Equal([rows[2]], one);
        Assert.Empty(none);
    }

    [SkippableFact]
    public async Task Completing_a_job_logs_a_change_only_when_a_visible_field_changed()
    {
        var group = await GroupWithAsync(Ada);
        var row = Row(Ada, "P1");
        await MaterializeAsync(row);
        var first = await _store.Progress().GetLatestChangeAsync(None);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await MaterializeAsync(row with { UpdatedAt = Now });
        var unchanged = await _store.Progress().GetLatestChangeAsync(None);
        var kept = Assert.Single(await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await MaterializeAsync(row with { Score = 43, UpdatedAt = Now });
        var scored = await _store.Progress().GetLatestChangeAsync(None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await MaterializeAsync(row with { Score = 43, TriggerEventId = "e-9", UpdatedAt = Now });
        var retriggered = await _store.Progress().GetLatestChangeAsync(None);

        Assert.True(first > 0);
        Assert.Equal(first, unchanged);
        Assert.Equal(row, kept);
        Assert.True(scored > first);
        Assert.True(retriggered > scored);
        Assert.Equal([first, scored, retriggered], (await _store.Progress().GetGroupChangesAsync(group, 0, 100, None)).Select(c => c.Seq));
        Assert.Equal(Now, Assert.Single(await _store.Progress().GetPlayerProgressAsync(Ada, null, None)).UpdatedAt);
    }

    [SkippableFact]
    public async Task Completing_a_job_with_no_row_removes_the_row_and_logs_a_removal()
    {
        var group = await GroupWithAsync(Ada, Ben);
        await MaterializeAsync(Row(Ada, "P1"));
        var before = await _store.Progress().GetLatestChangeAsync(None);

        await MaterializeAsync(null, Ada, "P1");
        var removed = await _store.Progress().GetLatestChangeAsync(None);
        await MaterializeAsync(null, Ben, "P1");
        var nothingToRemove = await _store.Progress().GetLatestChangeAsync(None);

        Assert.Empty(await _store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.True(removed > before);
        Assert.Equal(removed, nothingToRemove);
        var changes = await _store.Progress().GetGroupChangesAsync(group, before, 100, None);
        Assert.Equal([new CellChange(removed, Ada, "P1", null, null, null)], changes);
    }

    // ---- groups

    [SkippableFact]
    public async Task UpsertGroup_creates_a_group_then_updates_its_name_and_teachers()
    {
        var created = await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B", Game, ["t-2", "t-1"]), None);
        var afterCreate = await _store.Groups.GetGroupAsync(Org, "g-1", None);

        var updated = await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B (new)", Game, ["t-3"]), None);
        var afterUpdate = await _store.Groups.GetGroupAsync(Org, "g-1", None);
        var emptied = await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B (new)", Game, []), None);
        var afterEmptied = await _store.Groups.GetGroupAsync(Org, "g-1", None);

        Assert.True(created);
        Assert.Equal(("g-1", Org, "Class 7B", Game), (afterCreate!.Id, afterCreate.OrgId, afterCreate.Name, afterCreate.Game));
        Assert.Equal(["t-1", "t-2"], afterCreate.Teachers.Order(StringComparer.Ordinal));
        Assert.True(updated);
        Assert.Equal("Class 7B (new)", afterUpdate!.Name);
        Assert.Equal(["t-3"], afterUpdate.Teachers);
        Assert.True(emptied);
        Assert.Empty(afterEmptied!.Teachers);
        Assert.Null(await _store.Groups.GetGroupAsync(Org, "g-none", None));
    }

    [SkippableFact]
    public async Task Issue_7_group_ids_are_unique_per_org_and_a_group_keeps_its_game()
    {
        await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class 7B", Game, ["t-1"]), None);
        await _store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Ada, "ada@school.example")], [null], lockNames: false, None);

        var otherOrg = await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", OtherOrg, "Theirs", OtherGame, ["t-9"]), None);
        await _store.Groups.ReplaceMembersAsync("g-1", OtherOrg, [new(OtherOrg, Ben, "ben@other.example")], [null], lockNames: false, None);
        var otherGame = await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Taken", OtherGame, ["t-9"]), None);

        Assert.True(otherOrg);
        Assert.False(otherGame);
        var ours = await _store.Groups.GetGroupAsync(Org, "g-1", None);
        var theirs = await _store.Groups.GetGroupAsync(OtherOrg, "g-1", None);
        Assert.Equal(("Class 7B", Org, Game), (ours!.Name, ours.OrgId, ours.Game));
        Assert.Equal(["t-1"], ours.Teachers);
        Assert.Equal(("Theirs", OtherOrg, OtherGame), (theirs!.Name, theirs.OrgId, theirs.Game));
        Assert.Equal(["t-9"], theirs.Teachers);
        Assert.Equal([Ada], (await _store.Groups.GetMembersAsync(Org, "g-1", None)).Select(m => m.PlayerKey));
        Assert.Equal([Ben], (await _store.Groups.GetMembersAsync(OtherOrg, "g-1", None)).Select(m => m.PlayerKey));
        Assert.Equal([Org, OtherOrg], (await _store.Groups.FindGroupsAsync("g-1", None)).Select(g => g.OrgId).Order(StringComparer.Ordinal));
        Assert.Equal(Org, Assert.Single(await _store.Groups.GetGroupsOfPlayerAsync(Ada, None)).OrgId);
    }

    [SkippableFact]
    public async Task Issue_7_ReplaceMembers_keeps_seats_reports_who_joined_and_left_and_keeps_an_org_admins_name()
    {
        await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class", Game, []), None);

        var first = await _store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, Ada, "ada@school.example"), new(Org, Ben, "ben@school.example")], ["Ada (office)", null], lockNames: true, None);
        var second = await _store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, Ben, "ben@school.example"), new(Org, Cy, "cy@school.example"), new(Org, Ada, "ada@school.example")],
            ["Ben (teacher)", "Cy", "Ada (teacher)"], lockNames: false, None);
        var third = await _store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Cy, "cy@school.example")], ["Cy (office)"], lockNames: true, None);
        var fourth = await _store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Cy, "cy@school.example")], ["Cy (teacher)"], lockNames: false, None);

        Assert.Equal([Ada, Ben], first.Added);
        Assert.Empty(first.Removed);
        Assert.Equal([Cy], second.Added);
        Assert.Empty(second.Removed);
        Assert.Empty(third.Added);
        Assert.Equal(new[] { Ada, Ben }.Order(StringComparer.Ordinal), third.Removed);
        Assert.Empty(fourth.Added);
        Assert.Empty(fourth.Removed);
        Assert.Equal("Ada (office)", (await _store.Directory.GetPlayerAsync(Ada, None))!.DisplayName);
        Assert.Equal("Ben (teacher)", (await _store.Directory.GetPlayerAsync(Ben, None))!.DisplayName);
        var cy = Assert.Single(await _store.Groups.GetMembersAsync(Org, "g-1", None));
        Assert.Equal(("Cy (office)", 3), (cy.DisplayName, cy.Seat));
    }

    [SkippableFact]
    public async Task ListGroups_lists_every_orgs_groups_or_one_orgs_by_name()
    {
        await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class B", Game, ["t-1", "t-2"]), None);
        await _store.Groups.UpsertGroupAsync(new GroupRecord("g-2", Org, "Class A", Game, []), None);
        await _store.Groups.UpsertGroupAsync(new GroupRecord("g-3", OtherOrg, "Class C", OtherGame, ["t-3"]), None);

        var all = await _store.Groups.ListGroupsAsync(null, None);
        var org = await _store.Groups.ListGroupsAsync(Org, None);
        var none = await _store.Groups.ListGroupsAsync("org-none", None);

        Assert.Equal(["g-2", "g-1", "g-3"], all.Select(g => g.Id));
        Assert.Equal(["g-2", "g-1"], org.Select(g => g.Id));
        Assert.Equal(["t-1", "t-2"], org[1].Teachers.Order(StringComparer.Ordinal));
        Assert.Empty(org[0].Teachers);
        Assert.Equal((OtherOrg, "Class C", OtherGame), (all[2].OrgId, all[2].Name, all[2].Game));
        Assert.Empty(none);
    }

    [SkippableFact]
    public async Task ReplaceMembers_replaces_the_roster_and_keeps_raw_ids_and_names_in_the_directory()
    {
        await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class", Game, []), None);
        await _store.Events.WriteAsync([new WriteBatch([], [], [new DirectoryEntry(Org, Cy, "cy@school.example")])], None);

        await _store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, Ada, "ada@school.example"), new(Org, Ben, "ben@school.example"), new(Org, Cy, "cy@school.example")],
            ["Ada Adams", null, "Cy Cole"], lockNames: false, None);
        var first = await _store.Groups.GetMembersAsync(Org, "g-1", None);
        await _store.Groups.ReplaceMembersAsync("g-1", Org, [new(Org, Cy, "cy@school.example"), new(Org, Ben, "ben@school.example")], [null, "Ben Brown"], lockNames: false, None);
        var second = await _store.Groups.GetMembersAsync(Org, "g-1", None);

        Assert.Equal(
            [new GroupMember(Ada, "ada@school.example", "Ada Adams", 1), new GroupMember(Ben, "ben@school.example", null, 2), new GroupMember(Cy, "cy@school.example", "Cy Cole", 3)],
            first.OrderBy(m => m.PlayerKey, StringComparer.Ordinal));
        Assert.Equal(
            [new GroupMember(Ben, "ben@school.example", "Ben Brown", 2), new GroupMember(Cy, "cy@school.example", "Cy Cole", 3)],
            second.OrderBy(m => m.PlayerKey, StringComparer.Ordinal));
        Assert.True(await _store.Directory.PlayerExistsAsync(Ada, None));
        Assert.True(await _store.Directory.PlayerExistsAsync(Ben, None));
        Assert.Empty(await _store.Groups.GetMembersAsync(Org, "g-none", None));
    }

    [SkippableFact]
    public async Task GetMembers_orders_by_display_name_or_raw_id_then_player_key()
    {
        await _store.Groups.UpsertGroupAsync(new GroupRecord("g-1", Org, "Class", Game, []), None);

        await _store.Groups.ReplaceMembersAsync("g-1", Org,
            [new(Org, "pk-4", "dan@school.example"), new(Org, "pk-3", "zed@school.example"), new(Org, "pk-2", "x-2"), new(Org, "pk-1", "x-1"), new(Org, "pk-0", "bea@school.example")],
            ["carl", "ann", "dora", "dora", null], lockNames: false, None);
        var members = await _store.Groups.GetMembersAsync(Org, "g-1", None);

        Assert.Equal(["pk-3", "pk-0", "pk-4", "pk-1", "pk-2"], members.Select(m => m.PlayerKey));
    }

    [SkippableFact]
    public async Task GetGroupProgress_returns_the_members_rows_of_the_groups_org_and_game()
    {
        var group = await GroupWithAsync(Ada, Ben);
        var rows = new[] { Row(Ada, "P1"), Row(Ada, "P2", status: "yellow"), Row(Ben, "P1", score: 7) };
        foreach (var row in rows)
        {
            await MaterializeAsync(row);
        }
        await MaterializeAsync(Row(Cy, "P1"));
        await MaterializeAsync(Row(Ada, "P3", game: OtherGame));
        await MaterializeAsync(Row(Ben, "P3", org: OtherOrg));

        var progress = await _store.Progress().GetGroupProgressAsync(group, None);

        Assert.Equal(rows.OrderBy(r => (r.PlayerKey, r.PointId)), progress.OrderBy(r => (r.PlayerKey, r.PointId)));
    }

    [SkippableFact]
    public async Task GetLatestChange_is_zero_on_an_empty_store_and_moves_with_every_change()
    {
        var empty = await _store.Progress().GetLatestChangeAsync(None);

        await MaterializeAsync(Row(Ada, "P1"));
        var one = await _store.Progress().GetLatestChangeAsync(None);
        await MaterializeAsync(Row(Ben, "P1", org: OtherOrg, game: OtherGame));
        var two = await _store.Progress().GetLatestChangeAsync(None);

        Assert.Equal(0, empty);
        Assert.True(one > 0);
        Assert.True(two > one);
    }

    [SkippableFact]
    public async Task GetGroupChanges_returns_members_changes_after_a_seq_oldest_first_with_their_current_state()
    {
        var group = await GroupWithAsync(Ada, Ben);
        await MaterializeAsync(Row(Ada, "P1", status: "yellow", score: 1));
        var cursor = await _store.Progress().GetLatestChangeAsync(None);
        await MaterializeAsync(Row(Ben, "P1", score: 5));
        await MaterializeAsync(Row(Cy, "P1"));
        await MaterializeAsync(Row(Ada, "P2", game: OtherGame));
        await MaterializeAsync(Row(Ada, "P2", org: OtherOrg));
        await MaterializeAsync(Row(Ada, "P1", status: "green", score: 2, completedAt: T0.AddHours(1)));
        await MaterializeAsync(Row(Ben, "P2"));
        await MaterializeAsync(null, Ben, "P1");

        var changes = await _store.Progress().GetGroupChangesAsync(group, cursor, 100, None);
        var firstTwo = await _store.Progress().GetGroupChangesAsync(group, cursor, 2, None);
        var afterThem = await _store.Progress().GetGroupChangesAsync(group, firstTwo[^1].Seq, 100, None);

        Assert.Equal(
            [(Ben, "P1", null, null, null), (Ada, "P1", "green", 2, T0.AddHours(1)), (Ben, "P2", "green", 42, T0.AddMinutes(5)), (Ben, "P1", null, null, null)],
            changes.Select(c => (c.PlayerKey, c.PointId, c.Status, c.Score, c.CompletedAt)));
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.True(changes[0].Seq > cursor);
        Assert.Equal(changes.Take(2), firstTwo);
        Assert.Equal(changes.Skip(2), afterThem);
    }

    // ---- sessions

    [SkippableFact]
    public async Task Sessions_are_found_by_id_hash_until_deleted_and_expired_ones_are_cleared_on_create()
    {
        var live = new SessionRecord("id-1", "token-1", "csrf-1", Now.AddHours(1));
        var old = new SessionRecord("id-0", "token-0", "csrf-0", Now.AddMinutes(-1));
        await _store.Access.CreateSessionAsync(old, Now.AddHours(-1), None);

        await _store.Access.CreateSessionAsync(live, Now, None);
        var found = await _store.Access.FindSessionAsync("id-1", None);
        var expired = await _store.Access.FindSessionAsync("id-0", None);
        await _store.Access.DeleteSessionAsync("id-1", None);

        Assert.Equal(live, found);
        Assert.Null(expired);
        Assert.Null(await _store.Access.FindSessionAsync("id-1", None));
    }

    // ---- helpers

    private static EventRecord Event(
        string id, string? player = Ada, DateTimeOffset? at = null, string type = "LevelDone", string org = Org, string game = Game,
        string source = "src-1", string data = """{"n":1}""", IReadOnlyList<string>? points = null) =>
        new(org, game, source, id, type, at ?? T0, player, "sess-1", null, data, null, null, null, "standard",
            points?.Select(p => new Cairn.Projections.JobKey(Cairn.Progress.ProgressProjection.Name, p)).ToList());

    private static WriteBatch Batch(params EventRecord[] events) => new(events, [], []);

    private static RejectedRecord Rejected(string eventId, string org = Org, string game = Game) =>
        new(org, game, eventId, null, $$"""{"eventId":"{{eventId}}"}""", """[{"path":"type","code":"required","message":"missing"}]""");

    private ProgressRow Row(
        string player, string point, string status = "green", double? score = 42, string version = "v1", string org = Org, string game = Game,
        DateTimeOffset? completedAt = null, DateTimeOffset? updatedAt = null) =>
        new(org, game, player, point, status, score, 30.5, 3, completedAt ?? T0.AddMinutes(5), version, "e-1", updatedAt ?? Now);

    private async Task<bool[]> WriteEventsAsync(params EventRecord[] events) => (await _store.Events.WriteAsync([Batch(events)], None))[0];

    private async Task<IReadOnlyList<StoredEvent>> TimelineAsync(string playerKey) =>
        (await _store.Events.GetTimelineAsync(new TimelineQuery(playerKey, null, null, 1000, null), None)).Items;

    private Task<IReadOnlyList<JobLease>> ClaimAsync(string worker, int max = 10) => _store.Jobs.ClaimJobsAsync(worker, max, Lease, Now, None);

    /// <summary>Writes a trigger for the row's cell, then claims and completes its job with the row (as of <see cref="Now"/>).</summary>
    private Task MaterializeAsync(ProgressRow row) => MaterializeAsync(row, row.PlayerKey, row.PointId, row.OrgId, row.Game);

    private async Task MaterializeAsync(ProgressRow? row, string player, string point, string org = Org, string game = Game)
    {
        await WriteEventsAsync(Event("t-" + Guid.NewGuid().ToString("N"), player, org: org, game: game, points: [point]));
        var job = Assert.Single(await ClaimAsync("materializer"));
        Assert.Equal((org, game, player, point), (job.OrgId, job.Game, job.PlayerKey, job.Key));
        Assert.True((await _store.Jobs.CompleteJobsAsync([new JobCompletion(job, row)], "materializer", Now, None))[0]);
    }

    /// <summary>Dead-letters one job per (point, trigger event) of <see cref="Ada"/>, in order.</summary>
    private async Task KillJobsAsync(params (string Point, string EventId)[] jobs)
    {
        foreach (var (point, eventId) in jobs)
        {
            await WriteEventsAsync(Event(eventId, points: [point]));
            var job = Assert.Single(await ClaimAsync("w"));
            await _store.Jobs.FailJobAsync(job, "w", "boom", null, Now, None);
        }
    }

    private async Task<GroupRecord> GroupWithAsync(params string[] players)
    {
        var group = new GroupRecord("g-" + Guid.NewGuid().ToString("N")[..8], Org, "Class", Game, ["t-1"]);
        Assert.True(await _store.Groups.UpsertGroupAsync(group, None));
        await _store.Groups.ReplaceMembersAsync(group.Id, Org, players.Select(p => new DirectoryEntry(Org, p, p + "@school.example")).ToList(),
            players.Select(_ => (string?)null).ToList(), lockNames: false, None);
        return group;
    }
}
