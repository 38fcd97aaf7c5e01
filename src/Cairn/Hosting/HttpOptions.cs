namespace Cairn.Hosting;

/// <summary>How the HTTP server treats requests before any endpoint sees them.</summary>
internal sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>
    /// Largest request body, in bytes, on every endpoint but <c>POST /v1/events</c> (which has <c>Ingest:MaxBodyBytes</c>)
    /// and a roster upload (<see cref="MaxRosterBodyBytes"/>); Kestrel refuses more with 413.
    /// </summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of <c>PUT /v1/groups/{id}/members</c> (a roster of up to 2,000 members).</summary>
    public long MaxRosterBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>) of the reverse proxies whose <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> are believed. Empty (the default): forwarded headers are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Origins (<c>https://game.example</c>) whose pages may call <c>POST /v1/events</c> and <c>GET /v1/config/sampling</c>
    /// from the browser (the web SDK, CORS). Empty (the default): no cross-origin access.
    /// </summary>
    public List<string> CorsOrigins { get; set; } = [];
}
