using Cairn.Access;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Hosting;

/// <summary>
/// Liveness (the process answers) and readiness: <c>ready</c> when the store answers, is migrated and every background
/// component is healthy; <c>degraded</c> (still 200: ingest and reads work) naming the components that are failing;
/// 503 when the store is unreachable or the opted-out players are not loaded yet (ingest refuses events until they are).
/// </summary>
internal static class HealthApi
{
    private const string Unavailable = "unavailable";

    internal sealed record HealthStatus(
        string Status, IReadOnlyList<ComponentHealth>? Components = null, IReadOnlyList<string>? Failing = null, IReadOnlyList<DependencyHealth>? Dependencies = null);

    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");
        group.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live"))).WithName("getLiveness").WithSummary("200 while the process answers.");
        group.MapGet("/ready", ReadyAsync).WithName("getReadiness")
            .WithSummary("ready or degraded (200, naming failing components); 503 while the store or the opted-out players are not ready.")
            .Produces<HealthStatus>(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> ReadyAsync(
        IStoreSchema store, BackgroundHealth health, OptOuts optOuts, IEnumerable<IDependencyCheck> checks, CancellationToken cancellationToken)
    {
        var storeReady = await store.IsReadyAsync(cancellationToken);
        // Each dependency by name: the store, and (when configured) Redis, which Cairn can do without (degraded, still 200).
        List<DependencyHealth> dependencies = [new("store", storeReady ? BackgroundHealth.Ok : Unavailable)];
        foreach (var check in checks)
        {
            dependencies.Add(new(check.Name, await check.IsReadyAsync(cancellationToken) ? BackgroundHealth.Ok : Unavailable));
        }
        var components = health.Snapshot();
        var failing = components.Where(c => c.Status != BackgroundHealth.Ok).Select(c => c.Name)
            .Concat(dependencies.Where(d => d.Status != BackgroundHealth.Ok && d.Name != "store").Select(d => d.Name)).Distinct(StringComparer.Ordinal).ToList();
        if (!storeReady)
        {
            return TypedResults.Json(new HealthStatus("store unreachable or not migrated", components, failing, dependencies), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (!optOuts.IsLoaded)
        {
            return TypedResults.Json(new HealthStatus("opted-out players not loaded yet", components, failing, dependencies), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return TypedResults.Ok(new HealthStatus(failing.Count == 0 ? "ready" : "degraded", components, failing, dependencies));
    }
}
