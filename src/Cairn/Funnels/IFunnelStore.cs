namespace Cairn.Funnels;

/// <summary>
/// The events a funnel reads, straight from the event log (no pre-aggregation): the window's events of the step and exclusion
/// types (every type for the strict order), per player in time order.
/// </summary>
internal interface IFunnelStore
{
    /// <summary>The events, ordered by player key (ordinal), time and arrival.</summary>
    Task<IReadOnlyList<FunnelEvent>> ReadAsync(FunnelRead read, CancellationToken cancellationToken);
}
