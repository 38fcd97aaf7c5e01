namespace Cairn.PlayerState.Storage;

/// <summary>The read side of the player-state projection: a player's state documents and achievements.</summary>
internal interface IPlayerStateStore
{
    /// <summary>The player's state in each game (or in one), in game order.</summary>
    Task<IReadOnlyList<PlayerStateRow>> GetStatesAsync(string playerKey, string? game, CancellationToken cancellationToken);

    /// <summary>The player's achievements in each game (or in one), in the order earned.</summary>
    Task<IReadOnlyList<AchievementRow>> GetAchievementsAsync(string playerKey, string? game, CancellationToken cancellationToken);
}
