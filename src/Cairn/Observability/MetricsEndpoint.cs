using Cairn.Access;
using Prometheus;

namespace Cairn.Observability;

/// <summary><c>GET /metrics</c> in the Prometheus text format, and the middleware that times every request.</summary>
internal static class MetricsEndpoint
{
    public static IEndpointConventionBuilder MapMetricsApi(this IEndpointRouteBuilder app) =>
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<PrometheusExport>().Registry)
            .RequireMetricsReader()
            .WithDisplayName("GET /metrics");

    /// <summary>
    /// Middleware: latency of every request by method, route pattern and status code, and the 503/429 answers. The
    /// route is the endpoint's pattern (<c>/v1/players/{playerKey}/events</c>), never the path: a path holds ids.
    /// </summary>
    public static async Task TimeRequestAsync(HttpContext http, RequestDelegate next)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var route = http.GetEndpoint() is RouteEndpoint endpoint ? endpoint.RoutePattern.RawText ?? "unmatched" : "unmatched";
            var method = http.Request.Method is "GET" or "POST" or "PUT" or "DELETE" or "HEAD" or "PATCH" or "OPTIONS" ? http.Request.Method : "OTHER";
            http.RequestServices.GetRequiredService<CairnMetrics>()
                .Request(method, route, http.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
