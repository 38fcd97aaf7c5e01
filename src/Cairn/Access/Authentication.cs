namespace Cairn.Access;

/// <summary>Reads the bearer token of a request and says who sent it.</summary>
internal static class Authentication
{
    /// <summary>Who sent the request; an unknown bearer token counts as a failure for the client's address (<see cref="FailureThrottle"/>).</summary>
    public static ValueTask<Caller?> CallerAsync(HttpContext http, ApiKeys keys) => IdentifyAsync(http, keys, countFailure: true);

    /// <summary>The same, without counting a failure: for re-checking a caller who was already let in (a live stream).</summary>
    public static ValueTask<Caller?> RecheckAsync(HttpContext http, ApiKeys keys) => IdentifyAsync(http, keys, countFailure: false);

    private static async ValueTask<Caller?> IdentifyAsync(HttpContext http, ApiKeys keys, bool countFailure)
    {
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return await IdentifyBasicAsync(http, keys, header["Basic ".Length..].Trim(), countFailure);
        }
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            // A browser session counts for reads only: a cookie never authorizes a change (no CSRF surface).
            return HttpMethods.IsGet(http.Request.Method) && http.Request.Cookies[Sessions.CookieName] is { Length: > 0 } session
                && http.RequestServices.GetService<Sessions>() is { } sessions
                ? await sessions.FindAsync(session, keys, http.RequestAborted)
                : null;
        }
        var token = header[scheme.Length..].Trim();
        var caller = token.Length == 0 ? null : await keys.IdentifyAsync(token, http.RequestAborted);
        if (caller is null && token.Length > 0 && countFailure)
        {
            http.RequestServices.GetService<FailureThrottle>()?.Failed(http.Connection.RemoteIpAddress);
        }
        return caller;
    }

    /// <summary>
    /// HTTP Basic, for xAPI clients: the user is an LRS credential's key id, the password its secret. Anything else sent
    /// with Basic (a bearer token as the password, a wrong user) is unknown.
    /// </summary>
    private static async ValueTask<Caller?> IdentifyBasicAsync(HttpContext http, ApiKeys keys, string encoded, bool countFailure)
    {
        string? user = null, password = null;
        if (encoded.Length is > 0 and <= 512)
        {
            var buffer = new byte[encoded.Length];
            if (Convert.TryFromBase64String(encoded, buffer, out var written))
            {
                var text = System.Text.Encoding.UTF8.GetString(buffer, 0, written);
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                (user, password) = colon > 0 ? (text[..colon], text[(colon + 1)..]) : (null, null);
            }
        }
        var caller = password is { Length: > 0 } && password.StartsWith(ApiKeys.LrsKeyPrefix, StringComparison.Ordinal)
            ? await keys.IdentifyAsync(password, http.RequestAborted) : null;
        if (caller is Caller.Lrs lrs && lrs.KeyId == user)
        {
            return caller;
        }
        if (countFailure)
        {
            http.RequestServices.GetService<FailureThrottle>()?.Failed(http.Connection.RemoteIpAddress);
        }
        return null;
    }

    /// <summary>What kind of token a caller used, for messages that refuse it ("a teacher token").</summary>
    public static string Describe(Caller caller) => caller switch
    {
        Caller.Admin { KeyId: "admin-token" } => "the admin token",
        Caller.Admin => "an admin read token",
        Caller.IngestKey => "an ingest key",
        Caller.Lrs => "an LRS credential",
        Caller.Reader reader => $"{(reader.Role.Length > 0 && "aeiou".Contains(reader.Role[0], StringComparison.Ordinal) ? "an" : "a")} {reader.Role} read token",
        _ => "a token",
    };

    private const string CallerItem = "cairn.caller";

    /// <summary>The caller <see cref="AuthenticateFirstAsync"/> authenticated for this request.</summary>
    public static Caller Current(HttpContext http) =>
        http.Items[CallerItem] as Caller ?? throw new InvalidOperationException("The endpoint has no CallerRequirement, so nobody authenticated its caller.");

    /// <summary>Only admins may call these endpoints (401 without a valid token, 403 with another kind).</summary>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(CallerRequirement.Admin).WithRefusals();

    /// <summary>Only the admin token, an admin read token or the metrics token may call these endpoints.</summary>
    public static TBuilder RequireMetricsReader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(CallerRequirement.Metrics).WithRefusals();

    internal static bool IsMetricsToken(HttpContext http)
    {
        const string scheme = "Bearer ";
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && http.RequestServices.GetService<MetricsToken>() is { } token
            && token.Matches(header[scheme.Length..].Trim());
    }

    /// <summary>Admins and read tokens may call these endpoints; an ingest key gets 403.</summary>
    public static TBuilder RequireReader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(CallerRequirement.Reader).WithRefusals();

    /// <summary>For the OpenAPI document: the 401 and 403 problems <see cref="AuthenticateFirstAsync"/> answers.</summary>
    private static TBuilder WithRefusals<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));

    /// <summary>
    /// Middleware: authenticates the caller of an endpoint with a <see cref="CallerRequirement"/> before anything reads
    /// the request body. Endpoint filters would run only after minimal-API binding had read and parsed the body, so an
    /// anonymous client could make the server buffer whatever it sent.
    /// </summary>
    public static async Task AuthenticateFirstAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<CallerRequirement>() is not { } requirement)
        {
            await next(http);
            return;
        }
        if (requirement == CallerRequirement.Metrics && IsMetricsToken(http))
        {
            await next(http);
            return;
        }
        var caller = await CallerAsync(http, http.RequestServices.GetRequiredService<ApiKeys>());
        http.Items[CallerItem] = caller;
        IResult? refusal = requirement == CallerRequirement.Admin || requirement == CallerRequirement.Metrics
            ? caller switch
            {
                null => Problems.Unauthorized(http, requirement == CallerRequirement.Metrics
                    ? "Send 'Authorization: Bearer <metrics token or admin token>'."
                    : "Send 'Authorization: Bearer <admin token>'."),
                Caller.Admin => null,
                Caller.IngestKey => Problems.Forbidden("This call needs the admin token; an ingest key can only send events."),
                Caller.Lrs => Problems.Forbidden("This call needs the admin token; an LRS credential works only on /xapi/."),
                _ => Problems.Forbidden("This call needs the admin role."),
            }
            : caller switch
            {
                null => Problems.Unauthorized(http, "Send 'Authorization: Bearer <token>' (a read token or the admin token)."),
                Caller.IngestKey => Problems.Forbidden("An ingest key can only send events; reading needs a read token."),
                Caller.Lrs => Problems.Forbidden("An LRS credential works only on /xapi/; reading here needs a read token."),
                _ => null,
            };
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
