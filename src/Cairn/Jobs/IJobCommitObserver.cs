using Cairn.Storage;

namespace Cairn.Jobs;

/// <summary>
/// Told about the results of a claim around the transaction that stores them: before it, and after it committed (or failed).
/// The hot cache of player state uses it so no read after the commit returns the state from before it. Must not throw.
/// </summary>
internal interface IJobCommitObserver
{
    Task CommittingAsync(IReadOnlyList<JobCompletion> completions);

    Task CommittedAsync(IReadOnlyList<JobCompletion> completions, bool committed);
}
