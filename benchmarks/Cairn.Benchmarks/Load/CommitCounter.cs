using Microsoft.Extensions.Logging;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// Counts the group-commit writer's commits from its own log message ("Committed {Requests} requests ({Events}
/// events) in one transaction"), so the benchmark can say how many requests shared each fsync without
/// instrumenting the server.
/// </summary>
internal sealed class CommitCounter : ILoggerProvider, ILogger
{
    private const int CommittedEventId = 1000;

    private long _commits;
    private long _requests;
    private long _events;

    public (long Commits, long Requests, long Events) TakeCounts()
    {
        var counts = (Interlocked.Exchange(ref _commits, 0), Interlocked.Exchange(ref _requests, 0), Interlocked.Exchange(ref _events, 0));
        return counts;
    }

    public ILogger CreateLogger(string categoryName) => categoryName == "Cairn.Ingest.GroupCommitWriter" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != CommittedEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }
        Interlocked.Increment(ref _commits);
        foreach (var (name, value) in values)
        {
            if (name == "Requests" && value is int requests)
            {
                Interlocked.Add(ref _requests, requests);
            }
            else if (name == "Events" && value is int events)
            {
                Interlocked.Add(ref _events, events);
            }
        }
    }

    public void Dispose()
    {
    }
}
