namespace Cairn.Storage;

/// <summary>
/// Events of one org and source (e.g. the xAPI statements, source <c>xapi</c>) in arrival order (seq), with optional
/// filters: an event id, a player, event types, a window on the stored time (<c>received_at</c>), and a seq to continue after.
/// </summary>
internal sealed record SourceQuery(
    string OrgId,
    string Source,
    int Limit,
    string? EventId = null,
    string? PlayerKey = null,
    IReadOnlyCollection<string>? EventTypes = null,
    DateTimeOffset? StoredSince = null,
    DateTimeOffset? StoredUntil = null,
    long? AfterSeq = null,
    bool Ascending = false);
