using System.Text.Json;

namespace Cairn.Storage;

/// <summary>A quarantined event as read back for an operator.</summary>
internal sealed record StoredRejected(
    long Id,
    string OrgId,
    string Game,
    string? EventId,
    string? PlayerKey,
    DateTimeOffset ReceivedAt,
    string Raw,
    JsonElement Reasons);
