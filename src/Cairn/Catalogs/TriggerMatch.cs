namespace Cairn.Catalogs;

/// <summary>What an event means to a game's catalog: its trigger fingerprint and the points to recompute.</summary>
internal sealed record TriggerMatch(string? EventKey, IReadOnlyList<string> Points);
