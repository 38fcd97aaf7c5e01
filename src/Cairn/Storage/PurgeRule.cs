namespace Cairn.Storage;

/// <summary>Delete events of one privacy level older than a cutoff, for one org or (OrgId null) for every org not in <see cref="ExceptOrgs"/>.</summary>
internal sealed record PurgeRule(string? OrgId, string PrivacyLevel, DateTimeOffset OlderThan, IReadOnlyList<string> ExceptOrgs);
