using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Jobs;

/// <summary>Worker loops: run jobs while there are any, then wait for a commit's signal or the poll interval.</summary>
/// <remarks>
/// Any failure of a round (the store, a bug in a handler) is logged, reported by <c>/health/ready</c> and retried with
/// backoff; it never ends the loop, nor the host.
/// </remarks>
internal sealed class JobWorker(JobRunner runner, JobSignal signal, IOptions<JobOptions> options, Hosting.BackgroundHealth health, ILogger<JobWorker> logger)
    : BackgroundService
{
    public const string ComponentName = "job-workers";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(i => LoopAsync($"{Environment.MachineName}:{Environment.ProcessId}:{i}", stoppingToken)));

    private async Task LoopAsync(string workerId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var ran = await runner.RunOnceAsync(workerId, stoppingToken);
                if (failures > 0)
                {
                    failures = 0;
                    health.Succeeded(ComponentName);
                }
                if (ran > 0)
                {
                    continue;
                }
                await signal.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                health.Failed(ComponentName, ex);
                Log.WorkerStoreError(logger, workerId, ex);
                var delay = Hosting.ResilientService.Backoff(failures);
                await Task.Delay(delay < poll ? poll : delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
