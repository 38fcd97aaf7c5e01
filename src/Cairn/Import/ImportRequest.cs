namespace Cairn.Import;

/// <summary>What to import and for whom.</summary>
internal sealed record ImportRequest(string File, string OrgId, ImportMapping Mapping, string? Format, int BatchSize);
