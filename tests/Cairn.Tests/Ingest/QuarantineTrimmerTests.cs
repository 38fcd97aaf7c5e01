using Cairn.Ingest;
using Cairn.Storage;
using Cairn.Storage.Sqlite;
using Cairn.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cairn.Tests.Ingest;

public sealed class QuarantineTrimmerTests
{
    /// <summary>Real time, with every timer a minute-to-a-millisecond faster: the trimmer's schedule runs in a test's time.</summary>
    private sealed class FastTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

        private static TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / 60_000;
    }

    /// <summary>The event ids of what the trimmer logged.</summary>
    private sealed class RecordingLogger : ILogger<QuarantineTrimmer>
    {
        private readonly List<int> _events = [];

        public IReadOnlyList<int> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_events)
            {
                _events.Add(eventId.Id);
            }
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("timed out waiting until " + what);
    }

    [Fact]
    public async Task Issue_7_a_failed_quarantine_trim_is_logged_and_retried_and_never_stops_the_service()
    {
        using var root = new TempDirectory();
        var options = new StorageOptions { DataDirectory = root.Path, MaxRejectedAgeDays = 0, RejectedTrimPeriodMinutes = 60 };
        await using var store = Cairn.Hosting.CairnConfiguration.CreateStore(options);
        var logger = new RecordingLogger();
        var health = new Cairn.Hosting.BackgroundHealth(TimeProvider.System);
        using var trimmer = new QuarantineTrimmer(store.Events, Options.Create(options), new FastTimers(), health, logger);

        // The store has no tables yet: every trim fails until it is migrated.
        await trimmer.StartAsync(CancellationToken.None);
        await WaitForAsync(() => Task.FromResult(logger.Events.Contains(1021)), "a failed trim is logged");
        Assert.True(health.IsFailing(QuarantineTrimmer.ComponentName));
        await store.Schema.MigrateAsync(CancellationToken.None);
        await store.Events.WriteAsync([new WriteBatch([], [new RejectedRecord("org", "game", "e1", null, "{}", "[]")], [])], CancellationToken.None);
        await WaitForAsync(() => Task.FromResult(logger.Events.Contains(1020)), "a later trim deletes the expired row and says so");

        Assert.Empty((await store.Events.ListRejectedAsync(null, 10, null, CancellationToken.None)).Items);
        Assert.False(trimmer.ExecuteTask!.IsCompleted);
        Assert.False(health.IsFailing(QuarantineTrimmer.ComponentName));
        await trimmer.StopAsync(CancellationToken.None);
    }
}
