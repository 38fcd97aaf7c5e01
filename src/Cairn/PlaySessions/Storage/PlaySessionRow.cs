namespace Cairn.PlaySessions.Storage;

/// <summary>A stored play session, with the player and game it belongs to.</summary>
internal sealed record PlaySessionRow(string OrgId, string Game, string PlayerKey, PlaySession Session);
