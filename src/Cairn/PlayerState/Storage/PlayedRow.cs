namespace Cairn.PlayerState.Storage;

/// <summary>When a player last played a game (from the state row): what the active-player sets are refilled with.</summary>
internal sealed record PlayedRow(string OrgId, string Game, string PlayerKey, DateTimeOffset LastPlayedAt);
