using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Cairn.Access;

/// <summary>
/// Slows down guessing: after <see cref="AccessOptions.FailuresBeforeBackoff"/> failed sign-ins or unknown bearer tokens from
/// one client address, that address must wait <see cref="AccessOptions.BackoffSeconds"/> before it may present a credential
/// again (429 with Retry-After, the credential unchecked), and each further failure doubles the wait up to
/// <see cref="AccessOptions.MaxBackoffSeconds"/>.
/// Requests without a credential are never held back. The address is the one forwarded headers resolved (a trusted proxy's client).
/// </summary>
internal sealed class FailureThrottle(IOptions<AccessOptions> options, TimeProvider time, ILogger<FailureThrottle> logger)
{
    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset BlockedUntil);

    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private readonly AccessOptions _options = options.Value;

    /// <summary>Whether the address must still wait, and for how long.</summary>
    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null || _options.FailuresBeforeBackoff <= 0 || !_entries.TryGetValue(Normalize(address), out var entry))
        {
            return false;
        }
        retryAfter = entry.BlockedUntil - time.GetUtcNow();
        return retryAfter > TimeSpan.Zero;
    }

    /// <summary>
    /// Middleware: a request that presents a credential (a bearer token, or the sign-in form) from an address that must
    /// still wait is answered 429 with Retry-After, and its credential is not even looked at.
    /// </summary>
    public async Task GuardAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        var presents = request.Headers.Authorization.Count > 0
            || (HttpMethods.IsPost(request.Method) && request.Path.Equals("/signin", StringComparison.OrdinalIgnoreCase));
        if (presents && IsBlocked(http.Connection.RemoteIpAddress, out var wait))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            await Problems.TooManyRequests(http, seconds,
                $"Too many failed sign-ins or unknown tokens from your address; retry after {seconds} s.").ExecuteAsync(http);
            return;
        }
        await next(http);
    }

    public void Failed(IPAddress? address)
    {
        if (address is null || _options.FailuresBeforeBackoff <= 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxTracked)
        {
            Prune(now);
        }
        var entry = _entries.AddOrUpdate(Normalize(address),
            _ => Next(0, now),
            (_, entry) => Next(now - entry.LastFailure > Memory ? 0 : entry.Failures, now));
        if (entry.BlockedUntil > now)
        {
            // The address is not logged: it is personal data, and the count says enough to notice an attack.
            Log.ClientBackedOff(logger, entry.Failures, (entry.BlockedUntil - now).TotalSeconds);
        }
    }

    private TimeSpan Memory => TimeSpan.FromMinutes(Math.Max(1, _options.FailureMemoryMinutes));

    private Entry Next(int failuresBefore, DateTimeOffset now)
    {
        var failures = failuresBefore + 1;
        // The failure that uses up the free ones starts the first wait; each one after it (once let through) doubles it.
        var over = failures - _options.FailuresBeforeBackoff;
        var wait = over < 0
            ? TimeSpan.Zero
            : TimeSpan.FromSeconds(Math.Min(_options.BackoffSeconds * Math.Pow(2, Math.Min(over, 30)), Math.Max(_options.BackoffSeconds, _options.MaxBackoffSeconds)));
        return new Entry(failures, now, now + wait);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _entries)
        {
            if (now - entry.LastFailure > Memory || entry.BlockedUntil <= now)
            {
                _entries.TryRemove(address, out _);
            }
        }
    }

    /// <summary>
    /// An IPv4 client seen through a dual-stack socket counts as the same address; an IPv6 client counts by its /64, since
    /// one host may hold a whole /64 and pick a new address per request.
    /// </summary>
    private static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
