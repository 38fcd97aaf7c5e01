namespace Cairn.Hosting;

/// <summary>
/// A background service that never stops the host: whatever <see cref="RunAsync"/> throws is logged, counted in
/// <see cref="BackgroundHealth"/> (so <c>/health/ready</c> names the component), and <see cref="RunAsync"/> is started
/// again after an exponential backoff with jitter. A run that lasted longer than the longest backoff resets the backoff.
/// </summary>
internal abstract class ResilientService(string component, BackgroundHealth health, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(60);

    public string Component { get; } = component;

    protected BackgroundHealth Health { get; } = health;

    /// <summary>The service's work. Returning ends the service; throwing restarts it after a backoff.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failuresInARow = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = DateTimeOffset.UtcNow;
            try
            {
                await RunAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failuresInARow = DateTimeOffset.UtcNow - started > LongestRetry ? 1 : failuresInARow + 1;
                var delay = Backoff(failuresInARow);
                Health.Failed(Component, ex);
                Log.BackgroundFailed(logger, Component, failuresInARow, (long)delay.TotalMilliseconds, ex);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Reports one failed round of a loop that goes on by itself (the failure is logged by the caller).</summary>
    protected void Failed(Exception exception) => Health.Failed(Component, exception);

    protected void Succeeded() => Health.Succeeded(Component);

    public static TimeSpan Backoff(int failuresInARow)
    {
        var exponent = Math.Min(failuresInARow - 1, 16);
        var ceiling = Math.Min(LongestRetry.TotalMilliseconds, FirstRetry.TotalMilliseconds * Math.Pow(2, exponent));
        // Full jitter over the upper half: processes that failed together do not retry together.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
