namespace Cairn.Dashboard;

/// <summary>One student of a class at a glance: cells done, their latest event, and why they need attention (if they do).</summary>
/// <param name="LastPlayed">The timestamp of their latest event in the class's game (the game's clock), or null when none.</param>
internal sealed record StudentSummary(int Green, int Yellow, DateTimeOffset? LastPlayed, IReadOnlyList<AttentionReason> Reasons);
