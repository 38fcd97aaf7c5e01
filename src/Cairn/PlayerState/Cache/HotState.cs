using Cairn.PlayerState.Storage;

namespace Cairn.PlayerState.Cache;

/// <summary>What the cache holds for one (player, game): the state rows and the achievements, exactly as the store read them.</summary>
internal sealed record HotState(IReadOnlyList<PlayerStateRow> States, IReadOnlyList<AchievementRow> Achievements)
{
    /// <summary>Nothing stored: never cached (a key that was erased must not come back into the cache as an empty entry).</summary>
    public bool IsEmpty => States.Count == 0 && Achievements.Count == 0;
}
