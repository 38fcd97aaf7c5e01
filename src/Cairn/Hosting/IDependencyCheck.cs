namespace Cairn.Hosting;

/// <summary>A dependency besides the store that <c>/health/ready</c> reports on (Redis, when configured).</summary>
internal interface IDependencyCheck
{
    string Name { get; }

    /// <summary>Does it answer and is it in use? (false: Cairn works without it, degraded.)</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}
