namespace Cairn.Storage;

/// <summary>What a roster replacement changed: the playerKeys that joined and that left the group.</summary>
internal sealed record RosterChange(IReadOnlyList<string> Added, IReadOnlyList<string> Removed);
