using System.Collections.Concurrent;

namespace Cairn.Access;

/// <summary>
/// Signed-in browser sessions: an opaque random id in an HttpOnly, SameSite=Strict cookie, mapped here to the
/// hash of the token that signed in. Every request re-identifies that hash, so revoking the token (or erasing
/// the student it belongs to) ends its sessions too. Kept in memory: a restart signs everyone out, and no token
/// is ever stored in the browser.
/// </summary>
internal sealed class Sessions(TimeProvider time)
{
    public const string CookieName = "cairn_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, (string TokenHash, DateTimeOffset Expires, string Csrf)> _sessions = new(StringComparer.Ordinal);

    /// <param name="token">The token that signed in (only its hash is kept).</param>
    public string Create(string token)
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (session.Expires < now)
            {
                _sessions.TryRemove(id, out _);
            }
        }
        var sessionId = SecretHash.NewSecret("s_");
        _sessions[SecretHash.Of(sessionId)] = (SecretHash.Of(token), now + Lifetime, SecretHash.NewSecret(""));
        return sessionId;
    }

    /// <summary>Who the session's token belongs to now (null when the session expired or the token no longer works).</summary>
    public async ValueTask<Caller?> FindAsync(string sessionId, ApiKeys keys, CancellationToken cancellationToken) =>
        _sessions.TryGetValue(SecretHash.Of(sessionId), out var session) && session.Expires > time.GetUtcNow()
            ? await keys.IdentifyHashAsync(session.TokenHash, cancellationToken)
            : null;

    /// <summary>The session's anti-forgery token: every form that changes something carries it, and the post must match.</summary>
    public string? CsrfToken(string sessionId) =>
        _sessions.TryGetValue(SecretHash.Of(sessionId), out var session) && session.Expires > time.GetUtcNow() ? session.Csrf : null;

    public void End(string sessionId) => _sessions.TryRemove(SecretHash.Of(sessionId), out _);
}
