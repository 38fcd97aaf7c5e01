namespace Cairn.Ingest;

/// <summary>The answer for one event of a batch.</summary>
internal sealed record EventResult(
    int Index,
    string? EventId,
    string Status,
    IReadOnlyList<EventError>? Errors,
    IReadOnlyList<string>? Normalized)
{
    /// <summary>
    /// The event of a player who opted out: answered exactly like an accepted event (an ingest key must not learn who
    /// opted out), stored nowhere, and counted only in the admin figures.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool OptedOut { get; init; }

    /// <summary>Of those, one dropped because the player declined the event's category (metrics reason <c>consent_category</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool DeclinedCategory { get; init; }

    /// <summary>The event type of a sampled-out event (for the counts per event type; not part of the answer).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EventType { get; init; }

    /// <summary>What the client should know about a stored event (e.g. an LMS <c>class_id</c> that names no class); absent when none.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";

    /// <summary>Left out by the game's sampling rules (docs/ingest.md, Sampling): valid, and stored nowhere.</summary>
    public const string SampledOut = "sampled_out";
}
