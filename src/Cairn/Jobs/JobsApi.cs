using Cairn.Access;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Jobs;

/// <summary>Operator calls for the job queue: counts, the dead-letter table, and requeueing.</summary>
internal static class JobsApi
{
    internal sealed record RetryRequest(long? Id);

    internal sealed record RetryResponse(int Requeued);

    internal sealed record DeadJobs(IReadOnlyList<DeadJob> Jobs);

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/jobs").RequireAdmin();
        group.MapGet("/", (IJobQueue store, CancellationToken ct) => store.CountJobsAsync(ct));
        group.MapGet("/dead", async (IJobQueue store, CancellationToken ct) => TypedResults.Ok(new DeadJobs(await store.ListDeadJobsAsync(1000, ct))));
        group.MapPost("/dead/retry", RetryAsync);
        return group;
    }

    private static async Task<Ok<RetryResponse>> RetryAsync(
        RetryRequest? request, IJobQueue store, JobSignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var requeued = await store.RetryDeadJobsAsync(request?.Id, time.GetUtcNow(), cancellationToken);
        signal.Notify();
        return TypedResults.Ok(new RetryResponse(requeued));
    }
}
