using Cairn.Progress;
using Cairn.Projections;
using Cairn.Hosting;
using Cairn.Jobs;
using Cairn.Storage;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Cairn.Tests.Support.GameEvents;

namespace Cairn.Tests.Jobs;

/// <summary>
/// The worker loop on a real store, woken by the commits' signal. Its poll is a minute here, and every wait for a row is
/// bounded well below that: these facts pass only if the signal, not the poll, makes the worker run.
/// </summary>
public sealed class JobWorkerTests : IAsyncLifetime
{
    private const string Ada = "ada@school.example";
    private const string Ben = "ben@school.example";
    private const string Cleo = "cleo@school.example";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    private ProgressHarness _h = null!;

    public async Task InitializeAsync() => _h = await ProgressHarness.StartAsync("mhs.yaml");

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>Holds the first run until released, so the test knows the worker is busy while it queues more.</summary>
    private sealed class GatedHandler(IProjection inner) : IProjection
    {
        public string Name => ProgressProjection.Name;

        public void Collect(ProjectionEvent e, ICollection<string> keys)
        {
        }

        private int _calls;

        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<object?> ComputeAsync(JobLease job, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                FirstStarted.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }
            return await inner.ComputeAsync(job, cancellationToken);
        }
    }

    /// <summary>Sends a completion of U2.C2 for the player and tells the worker, as the group-commit writer does after its commit.</summary>
    private async Task TriggerAsync(JobSignal signal, string player)
    {
        await _h.IngestAsync(DialogueEvent("c-" + player, player, 90, 20, 26));
        signal.Notify();
    }

    /// <summary>The player's U2.C2 row, as soon as it exists; null if it does not within <see cref="Bounded"/>.</summary>
    private async Task<ProgressRow?> RowWithinBoundAsync(string player)
    {
        var deadline = DateTime.UtcNow + Bounded;
        while (DateTime.UtcNow < deadline)
        {
            var rows = await _h.Store.Progress().GetPlayerProgressAsync(_h.KeyOf(player), "mhs", CancellationToken.None);
            if (rows.SingleOrDefault(r => r.PointId == "U2.C2") is { } row)
            {
                return row;
            }
            await Task.Delay(20);
        }
        return null;
    }

    [Fact]
    public async Task Issue_10_a_job_queued_while_the_worker_is_busy_runs_without_waiting_for_the_poll()
    {
        var handler = new GatedHandler(_h.Materializer());
        var signal = new JobSignal();
        using var worker = new JobWorker(_h.Runner(handler), signal, Options.Create(new JobOptions { PollMilliseconds = 60_000 }),
            new BackgroundHealth(_h.Time), NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        await TriggerAsync(signal, Ada);
        await handler.FirstStarted.Task.WaitAsync(Bounded);

        await TriggerAsync(signal, Ben);
        handler.Release.TrySetResult();
        var ben = await RowWithinBoundAsync(Ben);
        var ada = await RowWithinBoundAsync(Ada);
        await TriggerAsync(signal, Cleo);
        var cleo = await RowWithinBoundAsync(Cleo);
        await worker.StopAsync(CancellationToken.None);

        Assert.NotNull(ada);
        Assert.NotNull(ben);
        Assert.NotNull(cleo);
        Assert.Equal(0, _h.JobRows());
    }
}
