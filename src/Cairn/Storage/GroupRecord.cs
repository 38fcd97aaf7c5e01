namespace Cairn.Storage;

/// <summary>A class: it belongs to one org and plays one game; its teachers see its progress.</summary>
internal sealed record GroupRecord(string Id, string OrgId, string Name, string Game, IReadOnlyList<string> Teachers);
