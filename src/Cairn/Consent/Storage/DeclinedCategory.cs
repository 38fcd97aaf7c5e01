namespace Cairn.Consent.Storage;

/// <summary>A category a player declined: the stored key, and the org and raw id (from the directory) to compute the current key.</summary>
internal sealed record DeclinedCategory(string PlayerKey, string Category, string OrgId, string? RawPlayerId);
