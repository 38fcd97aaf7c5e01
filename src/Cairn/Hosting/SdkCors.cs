using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Cairn.Hosting;

/// <summary>
/// Cross-origin access for the web SDK (clients/js): a browser game is served from its own origin, so its
/// <c>POST /v1/events</c> (with an <c>Authorization</c> header, JSON and maybe gzip: a preflighted request) and
/// <c>GET /v1/config/sampling</c> need CORS. Only those two paths, only the origins in <c>Http:CorsOrigins</c>
/// (none by default: nothing changes), no credentials (the key is a bearer header, never a cookie). The WebSocket needs
/// no CORS: the browser sends the key in its hello message.
/// </summary>
internal static class SdkCors
{
    private const string Policy = "cairn-sdk";

    public static void AddSdkCors(this IServiceCollection services, HttpOptions http)
    {
        if (http.CorsOrigins.Count == 0)
        {
            return;
        }
        services.AddCors(cors => cors.AddPolicy(Policy, new CorsPolicyBuilder()
            .WithOrigins([.. http.CorsOrigins])
            .WithMethods("GET", "POST")
            .WithHeaders("Authorization", "Content-Type", "Content-Encoding")
            .WithExposedHeaders("Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build()));
    }

    /// <summary>Before authentication, so a preflight (which carries no key) is answered here.</summary>
    public static void UseSdkCors(this WebApplication app, HttpOptions http)
    {
        if (http.CorsOrigins.Count == 0)
        {
            return;
        }
        app.UseWhen(
            context => context.Request.Path.Equals("/v1/events", StringComparison.Ordinal) || context.Request.Path.Equals("/v1/config/sampling", StringComparison.Ordinal),
            branch => branch.UseCors(Policy));
    }
}
