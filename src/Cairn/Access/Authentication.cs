namespace Cairn.Access;

/// <summary>Reads the bearer token of a request and says who sent it.</summary>
internal static class Authentication
{
    public static async ValueTask<Caller?> CallerAsync(HttpContext http, ApiKeys keys)
    {
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            // A browser session counts for reads only: a cookie never authorizes a change (no CSRF surface).
            return HttpMethods.IsGet(http.Request.Method) && http.Request.Cookies[Sessions.CookieName] is { Length: > 0 } session
                && http.RequestServices.GetService<Sessions>() is { } sessions
                ? await sessions.FindAsync(session, keys, http.RequestAborted)
                : null;
        }
        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : await keys.IdentifyAsync(token, http.RequestAborted);
    }

    private const string CallerItem = "cairn.caller";

    /// <summary>The caller an endpoint filter authenticated for this request.</summary>
    public static Caller Current(HttpContext http) =>
        http.Items[CallerItem] as Caller ?? throw new InvalidOperationException("No authentication filter ran for this endpoint.");

    /// <summary>Endpoint filter: only admins pass (401 without a valid token, 403 with another kind).</summary>
    public static async ValueTask<object?> RequireAdminAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = await CallerAsync(http, http.RequestServices.GetRequiredService<ApiKeys>());
        http.Items[CallerItem] = caller;
        return caller switch
        {
            null => Problems.Unauthorized(http, "Send 'Authorization: Bearer <admin token>'."),
            Caller.Admin => await next(context),
            Caller.IngestKey => Problems.Forbidden("This call needs the admin token; an ingest key can only send events."),
            _ => Problems.Forbidden("This call needs the admin role."),
        };
    }

    /// <summary>Endpoint filter: admins and read tokens pass; each handler then checks the scope of what it returns.</summary>
    public static async ValueTask<object?> RequireReaderAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = await CallerAsync(http, http.RequestServices.GetRequiredService<ApiKeys>());
        http.Items[CallerItem] = caller;
        return caller switch
        {
            null => Problems.Unauthorized(http, "Send 'Authorization: Bearer <token>' (a read token or the admin token)."),
            Caller.IngestKey => Problems.Forbidden("An ingest key can only send events; reading needs a read token."),
            _ => await next(context),
        };
    }
}
