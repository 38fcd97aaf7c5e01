namespace Cairn.Storage;

/// <summary>A change of a player's consent state (<c>granted</c>, <c>opted-out</c> or <c>unknown</c>) and age flags.</summary>
internal sealed record ConsentRecord(string OrgId, string PlayerKey, string RawPlayerId, string Consent, bool Under13, bool ParentalConsent);
