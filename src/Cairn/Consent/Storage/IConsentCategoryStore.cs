namespace Cairn.Consent.Storage;

/// <summary>The per-category consent choices of players (table <c>consent_categories</c>).</summary>
internal interface IConsentCategoryStore
{
    /// <summary>Records the given choices (true: granted, false: declined); categories not named keep what is recorded.</summary>
    Task SetAsync(string orgId, string playerKey, IReadOnlyDictionary<string, bool> choices, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The player's recorded choices (empty when none).</summary>
    Task<IReadOnlyDictionary<string, bool>> GetAsync(string orgId, string playerKey, CancellationToken cancellationToken);

    /// <summary>Every declined (player, category), for the in-memory set ingest decides with.</summary>
    Task<IReadOnlyList<(string PlayerKey, string Category)>> ListDeclinedAsync(CancellationToken cancellationToken);
}
