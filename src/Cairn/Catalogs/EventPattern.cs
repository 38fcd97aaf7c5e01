namespace Cairn.Catalogs;

/// <summary>
/// One event signature of a catalog: an event type and, per <c>data</c> field, the values it may have
/// (one value, or several with <c>in: [...]</c>), in canonical <see cref="MatchValue"/> form.
/// </summary>
internal sealed record EventPattern(string EventType, IReadOnlyList<(string Field, IReadOnlyList<string> Values)> Data)
{
    /// <summary>What the pattern means in plain words ("talked to Dr. Toppo"), for the pages; optional.</summary>
    public string? Name { get; init; }

    /// <summary>A stable text of the pattern, for rule versions.</summary>
    public string Describe() =>
        EventType + "{" + string.Join(",", Data.Select(d => d.Field + "=" + string.Join("|", d.Values))) + "}";
}
