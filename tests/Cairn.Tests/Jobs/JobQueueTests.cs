using Cairn.Progress;
using Cairn.Projections;
using System.Globalization;
using Cairn.Jobs;
using Cairn.Storage;
using Cairn.Tests.Support;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.Jobs;

/// <summary>Leases, retries, dead letters and coalescing of recompute jobs, on a real store and a hand-moved clock.</summary>
public sealed class JobQueueTests : IAsyncLifetime
{
    private const string Player = "kim@school.example";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private ProgressHarness _h = null!;

    public async Task InitializeAsync() => _h = await ProgressHarness.StartAsync("mhs.yaml");

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private sealed class FailingHandler : IProjection
    {
        public string Name => ProgressProjection.Name;

        public void Collect(ProjectionEvent e, ICollection<string> keys)
        {
        }

        public int Calls { get; private set; }

        public Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InvalidOperationException($"boom {Calls} on {job.Key}");
        }
    }

    private long RunAfter() => Database.Scalar(_h.DatabasePath, "SELECT run_after FROM jobs;");

    private long Micros(DateTimeOffset t) => long.Parse(ProgressHarness.Micros(t), CultureInfo.InvariantCulture);

    private async Task<ProgressRow> SingleRowAsync() => Assert.Single(await _h.Store.Progress().GetPlayerProgressAsync(_h.KeyOf(Player), "mhs", CancellationToken.None));

    [Fact]
    public async Task Job_of_a_killed_worker_is_claimed_again_only_after_its_lease_expires()
    {
        await _h.IngestAsync(DialogueEvent("s", Player, 0, 20, 1), DialogueEvent("c", Player, 90, 20, 26));
        var claimedByA = Assert.Single(await _h.Store.Jobs.ClaimJobsAsync("worker-a", 10, Lease, _h.Time.GetUtcNow(), CancellationToken.None));
        var runnerB = _h.Runner();

        _h.Time.Advance(Lease - TimeSpan.FromSeconds(1));
        var beforeExpiry = await runnerB.RunOnceAsync("worker-b", CancellationToken.None);
        _h.Time.Advance(TimeSpan.FromSeconds(2));
        var afterExpiry = await runnerB.RunOnceAsync("worker-b", CancellationToken.None);

        Assert.Equal(0, beforeExpiry);
        Assert.Equal(1, afterExpiry);
        Assert.Equal(0, _h.JobRows());
        var row = await SingleRowAsync();
        var rowOfA = (ProgressRow?)await _h.Materializer().ComputeAsync(claimedByA, CancellationToken.None);
        Assert.Equal(rowOfA! with { UpdatedAt = default }, row with { UpdatedAt = default });
        Assert.Equal(("green", 90.0, "c"), (row.Status, row.DurationSeconds!.Value, row.TriggerEventId));

        var lateA = (await _h.Store.Jobs.CompleteJobsAsync([new JobCompletion(claimedByA, rowOfA)], "worker-a", _h.Time.GetUtcNow(), CancellationToken.None))[0];

        Assert.False(lateA);
        Assert.Equal(0, _h.JobRows());
        Assert.Equal(row with { UpdatedAt = default }, (await SingleRowAsync()) with { UpdatedAt = default });
        Assert.Equal(new JobCounts(0, 0, 0), (await _h.Store.Jobs.CountJobsAsync(CancellationToken.None)) with { OldestPending = null });
    }

    [Fact]
    public async Task Late_completion_of_an_expired_lease_does_not_overwrite_a_newer_result()
    {
        await _h.IngestAsync(DialogueEvent("s", Player, 0, 20, 1), DialogueEvent("c", Player, 90, 20, 26));
        var claimedByA = Assert.Single(await _h.Store.Jobs.ClaimJobsAsync("worker-a", 10, Lease, _h.Time.GetUtcNow(), CancellationToken.None));
        var staleRow = await _h.Materializer().ComputeAsync(claimedByA, CancellationToken.None);
        _h.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await _h.DrainAsync("worker-b");
        await _h.IngestAsync(Event("r", Player, 100, "ProgressReset", ResetPoints("U2.C2")));
        await _h.DrainAsync("worker-b");

        var lateA = (await _h.Store.Jobs.CompleteJobsAsync([new JobCompletion(claimedByA, staleRow)], "worker-a", _h.Time.GetUtcNow(), CancellationToken.None))[0];

        Assert.NotNull(staleRow);
        Assert.False(lateA);
        Assert.Empty(await _h.Store.Progress().GetPlayerProgressAsync(_h.KeyOf(Player), "mhs", CancellationToken.None));
    }

    [Fact]
    public async Task Failing_job_backs_off_longer_each_time_then_is_dead_lettered_with_its_last_error()
    {
        await _h.IngestAsync(DialogueEvent("c", Player, 90, 20, 26));
        var handler = new FailingHandler();
        var runner = _h.Runner(handler, new JobOptions { MaxAttempts = 4, RetryBaseMilliseconds = 1000, RetryMaxSeconds = 300 });
        var delays = new List<long>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var failedAt = Micros(_h.Time.GetUtcNow());
            Assert.Equal(1, await runner.RunOnceAsync("w", CancellationToken.None));
            delays.Add(RunAfter() - failedAt);
            Assert.Equal(0, await runner.RunOnceAsync("w", CancellationToken.None));
            _h.Time.Advance(TimeSpan.FromMilliseconds(delays[^1] / 1000.0 + 1));
        }
        Assert.Equal(1, await runner.RunOnceAsync("w", CancellationToken.None));

        Assert.Equal(4, handler.Calls);
        Assert.InRange(delays[0], 750_000, 1_250_000);
        Assert.InRange(delays[1], 1_500_000, 2_500_000);
        Assert.InRange(delays[2], 3_000_000, 5_000_000);
        Assert.Equal(0, _h.JobRows());
        var dead = Assert.Single(await _h.Store.Jobs.ListDeadJobsAsync(10, CancellationToken.None));
        Assert.Equal(("U2.C2", _h.KeyOf(Player), 4, "c"), (dead.Key, dead.PlayerKey, dead.Attempts, dead.TriggerEventId));
        Assert.Equal("InvalidOperationException: boom 4 on U2.C2", dead.LastError);
        Assert.Equal(new JobCounts(0, 0, 1), (await _h.Store.Jobs.CountJobsAsync(CancellationToken.None)) with { OldestPending = null });
    }

    [Fact]
    public async Task Dead_job_requeued_with_the_cli_is_completed_by_a_working_handler()
    {
        await _h.IngestAsync(DialogueEvent("s", Player, 0, 20, 1), DialogueEvent("c", Player, 400, 20, 26));
        await _h.DrainAsync(runner: _h.Runner(new FailingHandler(), new JobOptions { MaxAttempts = 1 }));
        Assert.Single(await _h.Store.Jobs.ListDeadJobsAsync(10, CancellationToken.None));

        var listed = await CairnCli.RunAsync(_h.Root.Path, "jobs", "dead", "--data", _h.DataDirectory);
        var retried = await CairnCli.RunAsync(_h.Root.Path, "jobs", "retry", "--data", _h.DataDirectory);
        var ran = await _h.DrainAsync();

        Assert.True(listed.ExitCode == 0, listed.Output + listed.Error);
        Assert.Contains("0 pending, 0 running, 1 dead", listed.Output, StringComparison.Ordinal);
        Assert.Contains("mhs/U2.C2", listed.Output, StringComparison.Ordinal);
        Assert.True(retried.ExitCode == 0, retried.Output + retried.Error);
        Assert.Contains("requeued 1 job(s)", retried.Output, StringComparison.Ordinal);
        Assert.Equal(1, ran);
        Assert.Empty(await _h.Store.Jobs.ListDeadJobsAsync(10, CancellationToken.None));
        var row = await SingleRowAsync();
        Assert.Equal(("yellow", 400.0, "c"), (row.Status, row.DurationSeconds!.Value, row.TriggerEventId));
    }

    [Fact]
    public async Task Several_triggers_for_one_player_and_point_make_one_job()
    {
        await _h.IngestAsync(DialogueEvent("s1", Player, 0, 20, 1));
        await _h.IngestAsync(DialogueEvent("c1", Player, 50, 20, 26));
        await _h.IngestAsync(DialogueEvent("s2", Player, 10, 20, 1), Event("pp", Player, 60, "ProgressPointCompleted", Completed("U2.C2")));

        var jobs = Database.Column(_h.DatabasePath, "SELECT job_key || ' v' || version || ' ' || trigger_event_id FROM jobs;");
        var ran = await _h.DrainAsync();

        Assert.Equal(["U2.C2 v4 pp"], jobs);
        Assert.Equal(1, ran);
        var row = await SingleRowAsync();
        Assert.Equal((40.0, "c1"), (row.DurationSeconds!.Value, row.TriggerEventId));
    }

    [Fact]
    public async Task Trigger_arriving_while_a_job_runs_keeps_it_queued_and_the_next_run_sees_the_new_event()
    {
        await _h.IngestAsync(DialogueEvent("s1", Player, 0, 20, 1), DialogueEvent("c", Player, 100, 20, 26));
        var lease = Assert.Single(await _h.Store.Jobs.ClaimJobsAsync("w", 10, Lease, _h.Time.GetUtcNow(), CancellationToken.None));
        var row = await _h.Materializer().ComputeAsync(lease, CancellationToken.None);
        await _h.IngestAsync(DialogueEvent("s2", Player, 50, 20, 1));

        var gone = (await _h.Store.Jobs.CompleteJobsAsync([new JobCompletion(lease, row)], "w", _h.Time.GetUtcNow(), CancellationToken.None))[0];

        Assert.False(gone);
        Assert.Equal(new JobCounts(1, 0, 0), (await _h.Store.Jobs.CountJobsAsync(CancellationToken.None)) with { OldestPending = null });
        Assert.Equal(100, (await SingleRowAsync()).DurationSeconds);
        Assert.Equal(1, await _h.DrainAsync());
        Assert.Equal(50, (await SingleRowAsync()).DurationSeconds);
        Assert.Equal(0, _h.JobRows());
    }

    [Fact]
    public async Task Duplicate_events_and_events_that_trigger_nothing_write_no_job()
    {
        var completion = DialogueEvent("c", Player, 100, 20, 26);
        await _h.IngestAsync(completion);
        await _h.DrainAsync();

        var again = await _h.IngestAsync(completion, DialogueEvent("other", Player, 100, 99, 1));

        Assert.Equal([false, true], again);
        Assert.Equal(0, _h.JobRows());
    }

    [Fact]
    public async Task Job_for_a_point_no_longer_in_the_catalog_removes_its_row()
    {
        await _h.IngestAsync(DialogueEvent("c", Player, 100, 31, 29));
        await _h.DrainAsync();
        var path = Path.Combine(_h.CatalogsDirectory, "mhs.yaml");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("  - id: U1.C1\n", "  - id: U1.C1-renamed\n", StringComparison.Ordinal));
        Assert.Empty(_h.Catalogs.Reload().Errors);
        Database.Execute(_h.DatabasePath, "INSERT INTO jobs (projection, org_id, game, player_key, job_key, run_after, created_at) "
            + $"SELECT 'progress', org_id, game, player_key, point_id, 0, 0 FROM progress_points;");

        await _h.DrainAsync();

        Assert.Empty(await _h.Store.Progress().GetPlayerProgressAsync(_h.KeyOf(Player), "mhs", CancellationToken.None));
    }
}
