using System.Collections.Concurrent;
using Cairn.Storage;

namespace Cairn.Access;

/// <summary>
/// Signed-in browser sessions: an opaque random id in an HttpOnly, SameSite=Strict cookie. The store keeps the
/// hash of that id with the hash of the token that signed in, so every server on the store knows the session.
/// Every request re-identifies the token, so revoking it (or erasing the student it belongs to) ends its
/// sessions too. No token is ever stored in the browser.
/// </summary>
internal sealed class Sessions(IAccessStore store, TimeProvider time)
{
    public const string CookieName = "cairn_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Sessions read recently, so a page and its script do not each read the store; a sign-out elsewhere applies within this.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (SessionRecord Session, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <param name="token">The token that signed in (only its hash is kept).</param>
    public async Task<string> CreateAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sessionId = SecretHash.NewSecret("s_");
        var session = new SessionRecord(SecretHash.Of(sessionId), SecretHash.Of(token), SecretHash.NewSecret(""), now + Lifetime);
        await store.CreateSessionAsync(session, now, cancellationToken);
        _cache[session.IdHash] = (session, now + CacheFor);
        return sessionId;
    }

    private async ValueTask<SessionRecord?> LiveAsync(string sessionId, CancellationToken cancellationToken)
    {
        var idHash = SecretHash.Of(sessionId);
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(idHash, out var cached) || cached.Until <= now)
        {
            if (_cache.Count > 10_000)
            {
                _cache.Clear();
            }
            var found = await store.FindSessionAsync(idHash, cancellationToken);
            if (found is null)
            {
                _cache.TryRemove(idHash, out _);
                return null;
            }
            cached = (found, now + CacheFor);
            _cache[idHash] = cached;
        }
        return cached.Session.Expires > now ? cached.Session : null;
    }

    /// <summary>Who the session's token belongs to now (null when the session ended or the token no longer works).</summary>
    public async ValueTask<Caller?> FindAsync(string sessionId, ApiKeys keys, CancellationToken cancellationToken) =>
        await LiveAsync(sessionId, cancellationToken) is { } session ? await keys.IdentifyHashAsync(session.TokenHash, cancellationToken) : null;

    /// <summary>The session's anti-forgery token: every form that changes something carries it, and the post must match.</summary>
    public async ValueTask<string?> CsrfTokenAsync(string sessionId, CancellationToken cancellationToken) =>
        (await LiveAsync(sessionId, cancellationToken))?.Csrf;

    public async Task EndAsync(string sessionId, CancellationToken cancellationToken)
    {
        var idHash = SecretHash.Of(sessionId);
        _cache.TryRemove(idHash, out _);
        await store.DeleteSessionAsync(idHash, cancellationToken);
    }
}
