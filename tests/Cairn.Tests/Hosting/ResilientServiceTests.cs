using Cairn.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Tests.Hosting;

/// <summary>Issue 7: no background service's exception stops the host; it is counted, reported, and retried.</summary>
public sealed class ResilientServiceTests
{
    /// <summary>Fails its first runs (as a bug or a store outage would), then runs until stopped.</summary>
    private sealed class Flaky(int failures, BackgroundHealth health) : ResilientService("flaky", health, NullLogger.Instance)
    {
        public int Runs;

        protected override async Task RunAsync(CancellationToken stoppingToken)
        {
            if (Interlocked.Increment(ref Runs) <= failures)
            {
                throw new InvalidOperationException("The source argument contains duplicate keys.");
            }
            Succeeded();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
    }

    [Fact]
    public async Task Issue_7_a_background_service_that_throws_is_retried_and_the_host_keeps_running()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BackgroundHealth>();
        builder.Services.AddSingleton(sp => new Flaky(3, sp.GetRequiredService<BackgroundHealth>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Flaky>());
        using var host = builder.Build();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var health = host.Services.GetRequiredService<BackgroundHealth>();
        var flaky = host.Services.GetRequiredService<Flaky>();

        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Volatile.Read(ref flaky.Runs) < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(4, Volatile.Read(ref flaky.Runs));
        Assert.False(stopping.IsCancellationRequested);
        var state = Assert.Single(health.Snapshot());
        Assert.Equal(("flaky", "ok", 3L, "InvalidOperationException"), (state.Name, state.Status, state.Failures, state.LastError));
        await host.StopAsync();
    }

    [Theory]
    [InlineData(1, 250, 500)]
    [InlineData(3, 1000, 2000)]
    [InlineData(50, 30000, 60000)]
    public void Issue_7_retries_back_off_exponentially_with_jitter_up_to_a_minute(int failures, double atLeastMs, double atMostMs)
    {
        var delays = Enumerable.Range(0, 200).Select(_ => ResilientService.Backoff(failures).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, atLeastMs, atMostMs));
        Assert.True(delays.Distinct().Count() > 100, "jittered");
    }
}
