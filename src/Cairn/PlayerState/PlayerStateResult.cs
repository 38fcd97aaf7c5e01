namespace Cairn.PlayerState;

/// <summary>What one recompute of (player, game) returns: the state document and the achievements earned, in the order earned.</summary>
internal sealed record PlayerStateResult(PlayerStateDocument State, IReadOnlyList<EarnedAchievement> Achievements)
{
    /// <summary>The version of the rules it was computed with (<see cref="PlayerStateRuleVersion"/>), stored with the row.</summary>
    public string RuleVersion { get; init; } = "";
}
