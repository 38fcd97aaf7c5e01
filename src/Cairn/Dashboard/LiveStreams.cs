using System.Collections.Concurrent;
using Cairn.Access;
using Microsoft.Extensions.Options;

namespace Cairn.Dashboard;

/// <summary>
/// Counts the live streams each token holds open in this process, so one token cannot hold thousands
/// (<see cref="DashboardOptions.MaxStreamsPerToken"/>; the browser sessions a token signed in count as that token).
/// </summary>
internal sealed class LiveStreams(IOptions<DashboardOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public int MaxPerToken => options.Value.MaxStreamsPerToken;

    /// <summary>Streams open now, all tokens together (a gauge of /metrics).</summary>
    public int Open => _open.Values.Sum();

    /// <summary>A lease to dispose when the stream ends, or null when the token already holds its limit.</summary>
    public IDisposable? TryOpen(Caller caller)
    {
        var key = caller.Actor;
        while (true)
        {
            if (_open.TryGetValue(key, out var count))
            {
                if (count >= MaxPerToken)
                {
                    return null;
                }
                if (_open.TryUpdate(key, count + 1, count))
                {
                    return new Lease(this, key);
                }
            }
            else if (_open.TryAdd(key, 1))
            {
                return new Lease(this, key);
            }
        }
    }

    private void Close(string key)
    {
        while (_open.TryGetValue(key, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(key, count)) : _open.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Lease(LiveStreams owner, string key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Close(key);
            }
        }
    }
}
