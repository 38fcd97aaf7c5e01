namespace Cairn.Ingest;

/// <summary>The answer for one event of a batch.</summary>
internal sealed record EventResult(
    int Index,
    string? EventId,
    string Status,
    IReadOnlyList<EventError>? Errors,
    IReadOnlyList<string>? Normalized)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
    public const string Dropped = "dropped";
}
