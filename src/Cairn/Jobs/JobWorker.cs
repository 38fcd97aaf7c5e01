using Cairn.Storage;
using Microsoft.Extensions.Options;

namespace Cairn.Jobs;

/// <summary>Worker loops: run jobs while there are any, then wait for a commit's signal or the poll interval.</summary>
internal sealed class JobWorker(JobRunner runner, JobSignal signal, IOptions<JobOptions> options, ILogger<JobWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(i => LoopAsync($"{Environment.MachineName}:{Environment.ProcessId}:{i}", stoppingToken)));

    private async Task LoopAsync(string workerId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await runner.RunOnceAsync(workerId, stoppingToken) > 0)
                {
                    continue;
                }
                await signal.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreUnavailableException ex)
            {
                Log.WorkerStoreError(logger, workerId, ex);
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
