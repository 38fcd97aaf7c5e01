namespace Cairn.Storage;

/// <summary>The player directory: raw ids behind playerKeys (never returned to a reader), display names, consent and age flags.</summary>
internal interface IPlayerDirectory
{
    /// <summary>Whether the directory knows this playerKey (the raw id is never returned from here).</summary>
    Task<bool> PlayerExistsAsync(string playerKey, CancellationToken cancellationToken);

    Task<PlayerInfo?> GetPlayerAsync(string playerKey, CancellationToken cancellationToken);

    /// <summary>Sets consent and age flags (creating the directory row if needed). Under 13 without parental consent keeps no name.</summary>
    Task SetConsentAsync(ConsentRecord consent, CancellationToken cancellationToken);

    /// <summary>Every player who opted out (ingest keeps these in memory and drops their events).</summary>
    Task<IReadOnlyList<PlayerInfo>> ListOptedOutAsync(CancellationToken cancellationToken);

    /// <summary>Directory rows whose playerKey does not start with <paramref name="currentPrefix"/> (keys of an older pepper).</summary>
    Task<IReadOnlyList<PlayerInfo>> ListPlayersNotKeyedWithAsync(string currentPrefix, int limit, CancellationToken cancellationToken);
}
