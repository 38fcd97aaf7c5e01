namespace Cairn.PlayerState.Storage;

/// <summary>The read side of the player-state projection: a player's state documents and achievements.</summary>
internal interface IPlayerStateStore
{
    /// <summary>The player's state in each game (or in one), in game order.</summary>
    Task<IReadOnlyList<PlayerStateRow>> GetStatesAsync(string playerKey, string? game, CancellationToken cancellationToken);

    /// <summary>The player's achievements in each game (or in one), in the order earned.</summary>
    Task<IReadOnlyList<AchievementRow>> GetAchievementsAsync(string playerKey, string? game, CancellationToken cancellationToken);

    /// <summary>Every (org, game, player) whose state row was written since a time, with its last event time at or after it.</summary>
    Task<IReadOnlyList<PlayedRow>> GetPlayedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Queues a recompute of every state row of a game computed under another rule version; returns how many.</summary>
    Task<int> EnqueueStaleAsync(string game, string ruleVersion, DateTimeOffset now, CancellationToken cancellationToken);
}
