namespace Cairn.Catalogs;

/// <summary>A progress point of a game, as its catalog defines it.</summary>
/// <param name="Order">Position in catalog order (resets "from a point" cover it and all after it).</param>
/// <param name="Version">A hash of the rule (not of the title): a changed rule means existing rows are recomputed.</param>
internal sealed record PointDefinition(
    string Id,
    string? Unit,
    string? Title,
    int Order,
    IReadOnlyList<EventPattern> Complete,
    EventPattern? Start,
    EventPattern? Count,
    GreenRule Green,
    string Version)
{
    /// <summary>Every event type whose events can decide this point, for reading a player's history.</summary>
    public IEnumerable<string> EventTypes =>
        Complete.Select(p => p.EventType)
            .Concat(Start is null ? [] : [Start.EventType])
            .Concat(Count is null ? [] : [Count.EventType])
            .Concat([BuiltInEvents.Completed, BuiltInEvents.Reset])
            .Distinct(StringComparer.Ordinal);
}
