namespace Cairn.Hosting;

/// <summary>Headers on every answer: nothing holding student data is cached, framed, sniffed, or leaks its address onwards.</summary>
internal static class SecurityHeaders
{
    /// <summary>Pages load their own script and style only; no inline code, no frames, forms post back here.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Middleware: sets the headers as the answer starts, so an error page (which clears headers) gets them too.</summary>
    public static Task ApplyAsync(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            // Pages and API answers hold student data: no browser or proxy may keep a copy. Only the embedded assets may be cached.
            headers.CacheControl = http.Request.Path.StartsWithSegments("/static") ? "public, max-age=3600" : "no-store";
            return Task.CompletedTask;
        });
        return next(http);
    }
}
