using Cairn.Access;

namespace Cairn.Observability;

/// <summary><c>GET /metrics</c> in the Prometheus text format, and the middleware that times every request.</summary>
internal static class MetricsEndpoint
{
    public static IEndpointConventionBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        // Created now, not at the first scrape: the adapter sees only what is measured once it listens.
        _ = app.ServiceProvider.GetRequiredService<PrometheusExport>();
        return app.MapGet("/metrics", ScrapeAsync).RequireMetricsReader().WithTags("Observability").WithName("getMetrics")
            .WithSummary("Metrics in the Prometheus text format (the admin token, an admin read token or the metrics token).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    /// <summary>
    /// The store-held figures (the job queue) are read first, then prometheus-net writes the registry: its own
    /// before-collect callbacks read the observable instruments before an asynchronous one would have finished.
    /// </summary>
    private static async Task ScrapeAsync(HttpContext http, PrometheusExport export, JobQueueSample jobs)
    {
        await jobs.RefreshAsync(http.RequestAborted);
        http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await export.Registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
    }

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
