namespace Cairn.Ingest.Sampling;

/// <summary>
/// <c>preset: seeds</c>: the sampling defaults of seeds 001 and 003. Performance events 10 % (seed 001, production),
/// high-volume page views and mouse movements 1 % (seed 001), heartbeats 10 % (seed 003's starting rate). Learning,
/// session lifecycle, errors and every other event are never sampled.
/// </summary>
internal static class SamplingPreset
{
    public const string Name = "seeds";

    public static readonly IReadOnlyList<SamplingRule> Seeds =
    [
        new("page_view", null, 0.01, "preset seeds: high-volume events 1 % (seed 001)"),
        new("mouse_move", null, 0.01, "preset seeds: high-volume events 1 % (seed 001)"),
        new(null, Taxonomy.Performance, 0.10, "preset seeds: performance events 10 % in production (seed 001)"),
        new(null, Taxonomy.Heartbeat, 0.10, "preset seeds: heartbeats start at 10 % (seed 003)"),
    ];
}
