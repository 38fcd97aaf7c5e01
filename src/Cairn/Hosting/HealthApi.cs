using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Hosting;

/// <summary>Liveness (the process answers) and readiness (the store answers and is migrated).</summary>
internal static class HealthApi
{
    internal sealed record HealthStatus(string Status);

    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health");
        group.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live")));
        group.MapGet("/ready", ReadyAsync);
        return group;
    }

    private static async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> ReadyAsync(IEventStore store, CancellationToken cancellationToken) =>
        await store.IsReadyAsync(cancellationToken)
            ? TypedResults.Ok(new HealthStatus("ready"))
            : TypedResults.Json(new HealthStatus("store unreachable or not migrated"), statusCode: StatusCodes.Status503ServiceUnavailable);
}
