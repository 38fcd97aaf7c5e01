using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Cairn.Ingest;

/// <summary>A token bucket per ingest key: one noisy game cannot starve the others.</summary>
internal sealed class IngestRateLimits(IOptions<IngestOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);
    private readonly IngestOptions _options = options.Value;

    /// <summary>True when the key may send now; otherwise how long to wait.</summary>
    public bool TryAcquire(string keyId, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_options.RateLimitPerSecond <= 0)
        {
            return true;
        }
        var bucket = _buckets.GetOrAdd(keyId, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(_options.RateLimitBurst, 1),
            TokensPerPeriod = _options.RateLimitPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return true;
        }
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return false;
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
