using System.Globalization;
using Cairn.Hosting;

namespace Cairn.Cli;

/// <summary><c>cairn jobs dead</c> lists dead-lettered jobs; <c>cairn jobs retry [--id N]</c> requeues them.</summary>
internal static class JobsCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var verb = args.Positional.Count >= 2 ? args.Positional[1] : null;
        var data = args.Option("data");
        var storeOption = args.Option("store");
        var idText = verb == "retry" ? args.Option("id") : null;
        args.RejectUnknown();
        long? id = null;
        if (idText is not null)
        {
            id = long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw new UsageException("--id takes a job id");
        }
        await using var store = await CairnConfiguration.OpenStoreAsync(Offline.Storage(data, storeOption), cancellationToken);
        switch (verb)
        {
            case "dead":
                var dead = await store.Jobs.ListDeadJobsAsync(1000, cancellationToken);
                var counts = await store.Jobs.CountJobsAsync(cancellationToken);
                Console.WriteLine($"{counts.Pending} pending, {counts.Leased} running, {counts.Dead} dead");
                foreach (var job in dead)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{job.Id,6}  {job.FailedAt:yyyy-MM-dd HH:mm:ss}  {job.Projection} {job.Game}/{job.Key}  {job.PlayerKey}  attempts {job.Attempts}  {job.LastError}"));
                }
                return 0;
            case "retry":
                var requeued = await store.Jobs.RetryDeadJobsAsync(id, DateTimeOffset.UtcNow, cancellationToken);
                Console.WriteLine($"requeued {requeued} job(s); a running server or 'cairn worker' picks them up");
                return 0;
            default:
                throw new UsageException("expected 'cairn jobs dead' or 'cairn jobs retry [--id N]'");
        }
    }
}
