using Cairn.Storage;

namespace Cairn.Jobs;

/// <summary>Does the work of one job: recompute the (player, point) it names. Null means "no row" (white).</summary>
internal interface IJobHandler
{
    Task<ProgressRow?> RunAsync(JobLease job, CancellationToken cancellationToken);
}
