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

    /// <summary>The queue in total and per projection (a projection with no job and no dead letter is absent).</summary>
    internal sealed record JobsOverview(long Pending, long Leased, long Dead, DateTimeOffset? OldestPending, IReadOnlyDictionary<string, JobCounts> ByProjection);

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/jobs").RequireAdmin().WithTags("Admin");
        group.MapGet("/", OverviewAsync)
            .WithName("countJobs").WithSummary("How many jobs are pending, leased and dead, in total and per projection.");
        group.MapGet("/dead", async (IJobQueue store, CancellationToken ct) => TypedResults.Ok(new DeadJobs(await store.ListDeadJobsAsync(1000, ct))))
            .WithName("listDeadJobs").WithSummary("Up to 1000 dead jobs (failed too often), with their last error.");
        group.MapPost("/dead/retry", RetryAsync).WithName("retryDeadJobs").WithSummary("Requeues one dead job (id) or all of them (no id).");
        return group;
    }

    private static async Task<Ok<JobsOverview>> OverviewAsync(IJobQueue store, CancellationToken cancellationToken)
    {
        var total = await store.CountJobsAsync(cancellationToken);
        var byProjection = await store.CountJobsByProjectionAsync(cancellationToken);
        return TypedResults.Ok(new JobsOverview(total.Pending, total.Leased, total.Dead, total.OldestPending, byProjection));
    }

    private static async Task<Ok<RetryResponse>> RetryAsync(
        RetryRequest? request, IJobQueue store, JobSignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var requeued = await store.RetryDeadJobsAsync(request?.Id, time.GetUtcNow(), cancellationToken);
        signal.Notify();
        return TypedResults.Ok(new RetryResponse(requeued));
    }
}
