namespace Cairn.Demo;

/// <summary>
/// The simulator's clock: game time runs <c>speed</c> times faster than real time, starting far enough in the
/// past that a whole class session fits before "now" (ingest refuses times more than a day ahead).
/// </summary>
internal sealed class SimClock(double speed, TimeProvider time)
{
    private readonly DateTimeOffset _realStart = time.GetUtcNow();
    private readonly DateTimeOffset _simStart = time.GetUtcNow() - TimeSpan.FromHours(12);

    public double Speed => speed;

    public DateTimeOffset Now => _simStart + (time.GetUtcNow() - _realStart) * speed;

    /// <summary>Whether game time is still safely before the ingest limit.</summary>
    public bool InRange => Now < time.GetUtcNow() + TimeSpan.FromHours(20);

    /// <summary>Waits for a span of game time.</summary>
    public Task DelayAsync(TimeSpan gameTime, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, gameTime.TotalMilliseconds / speed)), time, cancellationToken);
}
