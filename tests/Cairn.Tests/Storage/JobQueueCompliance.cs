using Cairn.Storage;
using Cairn.Tests.Support;

namespace Cairn.Tests.Storage;

/// <summary>
/// The job queue contract (<see cref="IJobQueue"/>): leases, completion on the job's own terms, retries, dead letters
/// and counts.
/// Every store runs all of it: a subclass only says which store (<see cref="StoreMaker"/>).
/// </summary>
public abstract class JobQueueCompliance : StoreFacts
{
    private const string ProgressJobs = Cairn.Progress.ProgressProjection.Name;

    private protected JobQueueCompliance(StoreMaker maker)
        : base(maker)
    {
    }

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
        Assert.Equal(new JobCounts(0, 3, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    [SkippableFact]
    public async Task A_job_is_not_claimed_before_its_run_after()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));
        await Store.Jobs.FailJobAsync(job, "w", "try later", Now.AddMinutes(10), Now, None);

        var early = await Store.Jobs.ClaimJobsAsync("w", 10, Lease, Now.AddMinutes(10).AddSeconds(-1), None);
        var due = await Store.Jobs.ClaimJobsAsync("w", 10, Lease, Now.AddMinutes(10), None);

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
        Assert.Equal(new JobCounts(0, 1, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    [SkippableFact]
    public async Task CompleteJob_stores_the_row_and_deletes_the_job_when_its_version_did_not_move()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));
        var row = Row(Ada, "P1");

        var done = (await Store.Jobs.CompleteJobsAsync([new JobCompletion(job, row)], "w", Now, None))[0];

        Assert.True(done);
        Assert.Equal(new JobCounts(0, 0, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Equal([row], await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Empty(await ClaimAsync("w"));
    }

    [SkippableFact]
    public async Task CompleteJob_leaves_the_job_queued_when_a_new_trigger_bumped_its_version()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));
        await WriteEventsAsync(Event("e-2", points: ["P1"]));
        var row = Row(Ada, "P1");

        var done = (await Store.Jobs.CompleteJobsAsync([new JobCompletion(job, row)], "w", Now, None))[0];

        Assert.False(done);
        Assert.Equal([row], await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal(new JobCounts(1, 0, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        var rerun = Assert.Single(await ClaimAsync("w"));
        Assert.Equal((job.Id, 2L, 1, "e-2"), (rerun.Id, rerun.Version, rerun.Attempts, rerun.TriggerEventId));
        Assert.True((await Store.Jobs.CompleteJobsAsync([new JobCompletion(rerun, row)], "w", Now, None))[0]);
        Assert.Equal(new JobCounts(0, 0, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
    }

    [SkippableFact]
    public async Task CompleteJob_refuses_a_worker_that_no_longer_holds_the_lease_and_writes_nothing()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var byA = Assert.Single(await ClaimAsync("w-a"));
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var byB = Assert.Single(await ClaimAsync("w-b"));
        var latest = await Store.Progress().GetLatestChangeAsync(None);

        var lateA = (await Store.Jobs.CompleteJobsAsync([new JobCompletion(byA, Row(Ada, "P1"))], "w-a", Now, None))[0];

        Assert.False(lateA);
        Assert.Empty(await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal(latest, await Store.Progress().GetLatestChangeAsync(None));
        Assert.Equal(new JobCounts(0, 1, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.True((await Store.Jobs.CompleteJobsAsync([new JobCompletion(byB, Row(Ada, "P1", updatedAt: Now))], "w-b", Now, None))[0]);
        Assert.Single(await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
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
        var before = await Store.Progress().GetLatestChangeAsync(None);

        var gone = await Store.Jobs.CompleteJobsAsync(
            [new JobCompletion(cy, Row(Cy, "P1")), new JobCompletion(lostByA, Row(Ada, "P1")), new JobCompletion(ben, Row(Ben, "P1"))],
            "w-a", Now, None);

        Assert.Equal([false, false, true], gone);
        Assert.Empty(await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Equal([Row(Ben, "P1")], await Store.Progress().GetPlayerProgressAsync(Ben, null, None));
        Assert.Equal([Row(Cy, "P1")], await Store.Progress().GetPlayerProgressAsync(Cy, null, None));
        var changes = await Store.Progress().GetGroupChangesAsync(group, before, 100, None);
        Assert.Equal([(Cy, "P1"), (Ben, "P1")], changes.Select(c => (c.PlayerKey, c.PointId)));
        Assert.True(changes[0].Seq < changes[1].Seq);
        Assert.Equal(new JobCounts(1, 1, 0), await CountJobsExceptRollupsAsync());
        var rerun = Assert.Single(await ClaimAsync("w-a"));
        Assert.Equal((cy.Id, cy.Version + 1, "e-4"), (rerun.Id, rerun.Version, rerun.TriggerEventId));
        Assert.Equal([true], await Store.Jobs.CompleteJobsAsync([new JobCompletion(takenByB, Row(Ada, "P1"))], "w-b", Now, None));
        Assert.Equal([Row(Ada, "P1")], await Store.Progress().GetPlayerProgressAsync(Ada, null, None));
        Assert.Empty(await Store.Jobs.CompleteJobsAsync([], "w-a", Now, None));
    }

    [SkippableFact]
    public async Task FailJob_with_a_retry_time_frees_the_job_and_keeps_its_attempts()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var job = Assert.Single(await ClaimAsync("w"));

        await Store.Jobs.FailJobAsync(job, "w", "boom", Now.AddSeconds(5), Now, None);

        Assert.Equal(new JobCounts(1, 0, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Empty(await Store.Jobs.ListDeadJobsAsync(10, None));
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Assert.Single(await ClaimAsync("w")).Attempts);
    }

    [SkippableFact]
    public async Task FailJob_without_a_retry_time_dead_letters_the_job_with_its_error()
    {
        await WriteEventsAsync(Event("e-1", points: ["P1"]));
        var first = Assert.Single(await ClaimAsync("w"));
        await Store.Jobs.FailJobAsync(first, "w", "boom 1", Now, Now, None);
        var second = Assert.Single(await ClaimAsync("w"));

        await Store.Jobs.FailJobAsync(second, "w", "boom 2", null, Now.AddTicks(30), None);

        Assert.Equal(new JobCounts(0, 0, 1), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        var dead = Assert.Single(await Store.Jobs.ListDeadJobsAsync(10, None));
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

        await Store.Jobs.FailJobAsync(byA, "w-a", "late", null, Now, None);
        await Store.Jobs.FailJobAsync(byA, "w-a", "late", Now, Now, None);

        Assert.Equal(new JobCounts(0, 1, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Empty(await Store.Jobs.ListDeadJobsAsync(10, None));
    }

    [SkippableFact]
    public async Task Dead_jobs_are_listed_newest_first_up_to_the_limit()
    {
        await KillJobsAsync(("P1", "e-1"), ("P2", "e-2"), ("P3", "e-3"));

        var two = await Store.Jobs.ListDeadJobsAsync(2, None);
        var all = await Store.Jobs.ListDeadJobsAsync(10, None);

        Assert.Equal(["P3", "P2"], two.Select(d => d.Key));
        Assert.Equal(["P3", "P2", "P1"], all.Select(d => d.Key));
        Assert.True(all[0].Id > all[1].Id && all[1].Id > all[2].Id);
    }

    [SkippableFact]
    public async Task RetryDeadJobs_requeues_one_dead_job_by_id_or_all_of_them()
    {
        await KillJobsAsync(("P1", "e-1"), ("P2", "e-2"), ("P3", "e-3"));
        var p2 = Assert.Single(await Store.Jobs.ListDeadJobsAsync(10, None), d => d.Key == "P2");

        var one = await Store.Jobs.RetryDeadJobsAsync(p2.Id, Now, None);
        var unknown = await Store.Jobs.RetryDeadJobsAsync(p2.Id + 1000, Now, None);
        var requeued = Assert.Single(await ClaimAsync("w"));
        var rest = await Store.Jobs.RetryDeadJobsAsync(null, Now, None);
        var nothingLeft = await Store.Jobs.RetryDeadJobsAsync(null, Now, None);

        Assert.Equal((1, 0, 2, 0), (one, unknown, rest, nothingLeft));
        Assert.Equal((Ada, "P2", 1, "e-2"), (requeued.PlayerKey, requeued.Key, requeued.Attempts, requeued.TriggerEventId));
        Assert.Empty(await Store.Jobs.ListDeadJobsAsync(10, None));
        Assert.Equal(new JobCounts(2, 1, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
        Assert.Equal(["P1", "P3"], (await ClaimAsync("w")).Select(j => j.Key).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task RetryDeadJobs_merges_dead_jobs_of_one_player_and_point_with_each_other_and_a_queued_job()
    {
        await KillJobsAsync(("P1", "e-1"));
        await KillJobsAsync(("P1", "e-2"));
        await KillJobsAsync(("P2", "e-3"));
        await WriteEventsAsync(Event("e-4", points: ["P2"]));

        var retried = await Store.Jobs.RetryDeadJobsAsync(null, Now, None);

        Assert.Equal(3, retried);
        Assert.Equal(new JobCounts(2, 0, 0), (await Store.Jobs.CountJobsAsync(None)) with { OldestPending = null });
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

        var counts = await Store.Jobs.CountJobsAsync(None);

        Assert.Equal(new JobCounts(1, 2, 1), counts with { OldestPending = null });
    }

    [SkippableFact]
    public async Task CountJobs_gives_the_earliest_run_after_of_the_jobs_not_leased_and_none_when_there_are_none()
    {
        Assert.Null((await Store.Jobs.CountJobsAsync(None)).OldestPending);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await WriteEventsAsync(Event("e-1", points: ["P1", "P2"]));

        var pending = (await Store.Jobs.CountJobsAsync(None)).OldestPending;
        Assert.Equal(2, (await ClaimAsync("w", max: 2)).Count);
        var allLeased = (await Store.Jobs.CountJobsAsync(None)).OldestPending;

        Assert.NotNull(pending);
        Assert.InRange(pending.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(TimeSpan.Zero, pending.Value.Offset);
        Assert.Null(allLeased);
    }

    [SkippableFact]
    public async Task Issue_10_CountJobsByProjection_counts_each_projections_pending_leased_and_dead_jobs_and_leaves_out_idle_ones()
    {
        var empty = await Store.Jobs.CountJobsByProjectionAsync(None);
        await KillJobsAsync(("P9", "e-9"));
        await WriteEventsAsync(Event("e-1", points: ["P1", "P2"]));
        Assert.Equal(2, await Store.Jobs.EnqueueAsync([new QueuedJob("other", Org, Game, Ada, "k-1", null), new QueuedJob("other", Org, Game, Ben, "k-1", null)], Now, None));
        var claimed = await ClaimAsync("w", max: 100);
        Assert.Equal(4, claimed.Count);
        await Store.Jobs.FailJobAsync(Assert.Single(claimed, j => j.Key == "P2"), "w", "later", Now.AddMinutes(5), Now, None);
        await Store.Jobs.FailJobAsync(Assert.Single(claimed, j => j.PlayerKey == Ben), "w", "boom", null, Now, None);

        var counts = await Store.Jobs.CountJobsByProjectionAsync(None);

        Assert.Empty(empty);
        Assert.Equal(["other", ProgressJobs], counts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new JobCounts(1, 1, 1, Now.AddMinutes(5)), counts[ProgressJobs]);
        Assert.Equal(new JobCounts(0, 1, 1, null), counts["other"]);
        Assert.Equal(new JobCounts(1, 2, 2, Now.AddMinutes(5)), await Store.Jobs.CountJobsAsync(None));
    }

    [SkippableFact]
    public async Task Issue_10_Enqueue_queues_a_job_per_key_due_now_and_bumps_a_queued_one_to_run_at_the_earlier_time()
    {
        await WriteEventsAsync(Event("e-1", points: ["P2"]));
        var waiting = Assert.Single(await ClaimAsync("w"));
        await Store.Jobs.FailJobAsync(waiting, "w", "later", Now.AddMinutes(10), Now, None);

        var queued = await Store.Jobs.EnqueueAsync(
            [new QueuedJob(ProgressJobs, Org, Game, Ada, "P1", "e-7"), new QueuedJob(ProgressJobs, Org, Game, Ben, "P1", null),
             new QueuedJob(ProgressJobs, Org, Game, Ada, "P2", "e-8")], Now, None);
        var nothing = await Store.Jobs.EnqueueAsync([], Now, None);
        var jobs = await ClaimAsync("w", max: 100);

        Assert.Equal(3, queued);
        Assert.Equal(0, nothing);
        Assert.Equal(
            [(Ada, "P1", 1L, 1, "e-7"), (Ada, "P2", 2L, 2, "e-1"), (Ben, "P1", 1L, 1, null)],
            jobs.Select(j => (j.PlayerKey, j.Key, j.Version, j.Attempts, j.TriggerEventId)).OrderBy(j => (j.PlayerKey, j.Key)));
        Assert.All(jobs, j => Assert.Equal((ProgressJobs, Org, Game), (j.Projection, j.OrgId, j.Game)));
        Assert.Equal(waiting.Id, Assert.Single(jobs, j => j.Key == "P2").Id);
    }

    [SkippableFact]
    public async Task Issue_10_Enqueue_folds_a_key_given_twice_in_one_call_into_one_job_bumped_once()
    {
        var job = new QueuedJob(ProgressJobs, Org, Game, Ada, "P1", "e-1");

        var queued = await Store.Jobs.EnqueueAsync([job, job with { TriggerEventId = "e-2" }, job with { PlayerKey = Ben }], Now, None);
        var bumped = await Store.Jobs.EnqueueAsync([job, job], Now, None);

        Assert.Equal((2, 1), (queued, bumped));
        Assert.Equal(
            [(Ada, 2L), (Ben, 1L)],
            (await ClaimAsync("w", max: 100)).Select(j => (j.PlayerKey, j.Version)).Order());
    }

    /// <summary>Dead-letters one job per (point, trigger event) of <see cref="Ada"/>, in order.</summary>
    private async Task KillJobsAsync(params (string Point, string EventId)[] jobs)
    {
        foreach (var (point, eventId) in jobs)
        {
            await WriteEventsAsync(Event(eventId, points: [point]));
            var job = Assert.Single(await ClaimAsync("w"));
            await Store.Jobs.FailJobAsync(job, "w", "boom", null, Now, None);
        }
    }
}
