namespace Cairn.PlayerState.Storage;

/// <summary>A stored state document of one (org, game, player).</summary>
internal sealed record PlayerStateRow(string OrgId, string Game, PlayerStateDocument State, DateTimeOffset UpdatedAt);
