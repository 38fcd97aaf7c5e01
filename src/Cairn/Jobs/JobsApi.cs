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
        var group = app.MapGroup("/v1/admin/jobs").RequireAdmin().WithTags("Admin");
        group.MapGet("/", (IEventStore store, CancellationToken ct) => store.CountJobsAsync(ct))
            .WithName("countJobs").WithSummary("How many jobs are pending, leased and dead.");
        group.MapGet("/dead", async (IEventStore store, CancellationToken ct) => TypedResults.Ok(new DeadJobs(await store.ListDeadJobsAsync(1000, ct))))
            .WithName("listDeadJobs").WithSummary("Up to 1000 dead jobs (failed too often), with their last error.");
        group.MapPost("/dead/retry", RetryAsync).WithName("retryDeadJobs").WithSummary("Requeues one dead job (id) or all of them (no id).");
        return group;
    }

    private static async Task<Ok<RetryResponse>> RetryAsync(
        RetryRequest? request, IEventStore store, JobSignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var requeued = await store.RetryDeadJobsAsync(request?.Id, time.GetUtcNow(), cancellationToken);
        signal.Notify();
        return TypedResults.Ok(new RetryResponse(requeued));
    }
}
