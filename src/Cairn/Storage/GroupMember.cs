namespace Cairn.Storage;

/// <summary>
/// A roster entry, joined with the directory (the raw id is only for callers whose scope covers the player). The seat
/// is the member's number in the group, given when they joined and kept while they stay; Nameless marks a child under
/// 13 without parental consent, who is shown by seat ("Student 7"), never by name or raw id.
/// </summary>
internal sealed record GroupMember(string PlayerKey, string RawPlayerId, string? DisplayName, int Seat = 0, bool Nameless = false);
