using System.Collections.Concurrent;

namespace Cairn.Access;

/// <summary>
/// Signed-in browser sessions: an opaque random id in an HttpOnly, SameSite=Strict cookie, mapped here to
/// who signed in. Kept in memory: a restart signs everyone out, and no token is ever stored in the browser.
/// </summary>
internal sealed class Sessions(TimeProvider time)
{
    public const string CookieName = "cairn_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Expires, string Csrf)> _sessions = new(StringComparer.Ordinal);

    public string Create(Caller caller)
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
        _sessions[SecretHash.Of(sessionId)] = (caller, now + Lifetime, SecretHash.NewSecret(""));
        return sessionId;
    }

    public Caller? Find(string sessionId) =>
        _sessions.TryGetValue(SecretHash.Of(sessionId), out var session) && session.Expires > time.GetUtcNow() ? session.Caller : null;

    /// <summary>The session's anti-forgery token: every form that changes something carries it, and the post must match.</summary>
    public string? CsrfToken(string sessionId) =>
        _sessions.TryGetValue(SecretHash.Of(sessionId), out var session) && session.Expires > time.GetUtcNow() ? session.Csrf : null;

    public void End(string sessionId) => _sessions.TryRemove(SecretHash.Of(sessionId), out _);
}
