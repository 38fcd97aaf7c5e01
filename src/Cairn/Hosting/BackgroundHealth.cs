using System.Collections.Concurrent;

namespace Cairn.Hosting;

/// <summary>
/// The state of every background component (opt-out sync, purge, workers, …): healthy, or failing since when and how often.
/// Components report here instead of letting an exception reach the host, which would stop the whole service.
/// </summary>
internal sealed class BackgroundHealth(TimeProvider time)
{
    public const string Ok = "ok";
    public const string Failing = "failing";

    private sealed class State
    {
        public long Failures;
        public string? LastError;
        public DateTimeOffset? FailingSince;
    }

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    public void Succeeded(string component)
    {
        var state = _states.GetOrAdd(component, _ => new State());
        lock (state)
        {
            state.FailingSince = null;
        }
    }

    public void Failed(string component, Exception exception)
    {
        var state = _states.GetOrAdd(component, _ => new State());
        lock (state)
        {
            state.Failures++;
            state.LastError = exception.GetType().Name;
            state.FailingSince ??= time.GetUtcNow();
        }
    }

    public IReadOnlyList<ComponentHealth> Snapshot() =>
        [.. _states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
        {
            lock (s.Value)
            {
                return new ComponentHealth(s.Key, s.Value.FailingSince is null ? Ok : Failing, s.Value.Failures, s.Value.LastError, s.Value.FailingSince);
            }
        })];

    public bool IsFailing(string component) => _states.TryGetValue(component, out var state) && state.FailingSince is not null;
}
