namespace Cairn.Jobs;

/// <summary>How recompute jobs are run.</summary>
internal sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Worker loops inside <c>cairn serve</c> (0 leaves all work to <c>cairn worker</c> processes).</summary>
    /// <remarks>
    /// Two by default: one worker computes a claim's jobs one after the other while its results wait for the single
    /// writer; a second computes meanwhile. At 10,000 events/s on 2 cores this took the p95 from seconds to ~150 ms
    /// (docs/benchmarks.md).
    /// </remarks>
    public int Workers { get; set; } = 2;

    /// <summary>Jobs claimed at once by one worker.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a claim holds; a crashed worker's jobs are retried after it runs out.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Attempts before a job is moved to the dead-letter table.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; it doubles per attempt (with ±25% jitter) up to <see cref="RetryMaxSeconds"/>.</summary>
    public int RetryBaseMilliseconds { get; set; } = 1_000;

    public int RetryMaxSeconds { get; set; } = 300;

    /// <summary>How often an idle worker looks for jobs written by other processes.</summary>
    public int PollMilliseconds { get; set; } = 500;
}
