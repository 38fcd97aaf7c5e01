using System.Text.Json;

namespace Cairn.Dashboard;

/// <summary>One page of a class member's events in the class's game, newest first.</summary>
internal sealed record ClassTimeline(string GroupId, string PlayerKey, string DisplayName, IReadOnlyList<ClassTimeline.TimelineEntry> Events, string? NextCursor)
{
    /// <param name="Meaning">What the event meant for a progress point (<see cref="EventMeaning"/>), or null when it matched none.</param>
    internal sealed record TimelineEntry(string EventId, string EventType, DateTimeOffset Timestamp, DateTimeOffset ReceivedAt, string Source, JsonElement Data,
        EventMeaning? Meaning);
}
