namespace Cairn.Consent.Storage;

/// <summary>The per-category consent choices of players (table <c>consent_categories</c>).</summary>
internal interface IConsentCategoryStore
{
    /// <summary>Records the given choices (true: granted, false: declined); categories not named keep what is recorded.</summary>
    Task SetAsync(string orgId, string playerKey, IReadOnlyDictionary<string, bool> choices, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The player's recorded choices (empty when none).</summary>
    Task<IReadOnlyDictionary<string, bool>> GetAsync(string orgId, string playerKey, CancellationToken cancellationToken);

    /// <summary>
    /// Every declined (player, category), for the in-memory set ingest decides with, with the player's org and raw id from
    /// the directory (null when not there), so a pepper rotation can hold it under the current key too.
    /// </summary>
    Task<IReadOnlyList<DeclinedCategory>> ListDeclinedAsync(CancellationToken cancellationToken);
}
