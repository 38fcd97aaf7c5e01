namespace Cairn.Ingest.Sampling;

/// <summary>One <c>sampling.rules</c> entry: the rate of an event type, or of every event type of a category.</summary>
internal sealed record SamplingRule(string? EventType, string? Category, double Rate, string Source)
{
    public bool Matches(string eventType) =>
        EventType is not null ? string.Equals(EventType, eventType, StringComparison.Ordinal)
        : Taxonomy.CategoryOf(eventType) is { } category && string.Equals(category, Category, StringComparison.Ordinal);
}
