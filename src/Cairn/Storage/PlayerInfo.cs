namespace Cairn.Storage;

/// <summary>A player directory row: the one place a raw id (and a display name) is kept, with consent flags.</summary>
internal sealed record PlayerInfo(
    string PlayerKey, string OrgId, string RawPlayerId, string? DisplayName, string Consent, bool Under13, bool ParentalConsent);
