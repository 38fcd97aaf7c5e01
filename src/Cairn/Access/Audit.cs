using Cairn.Storage;

namespace Cairn.Access;

/// <summary>Writes reads of the directory and every export to the audit log: who, what, which scope, when; no personal data.</summary>
internal sealed class Audit(IPrivacyStore store, TimeProvider time)
{
    public Task RecordAsync(Caller caller, string action, string scope, string detail, CancellationToken cancellationToken) =>
        store.AppendAuditAsync(new AuditEntry(time.GetUtcNow(), caller.Actor, action, scope, detail), cancellationToken);

    /// <summary>
    /// A roster change for the audit log: the group, the size, and the playerKeys that joined and left (pseudonyms, so
    /// who was moved can be traced without a raw id or a name in the log).
    /// </summary>
    public static string RosterDetail(GroupRecord group, int members, RosterChange change, int consentIgnored) =>
        $"group {group.OrgId}/{group.Id}: {members} members; added [{string.Join(',', change.Added)}]; removed [{string.Join(',', change.Removed)}]"
        + (consentIgnored > 0 ? $"; consent flags ignored for {consentIgnored}" : "");

    /// <summary>A caller's scope in words, for the audit log.</summary>
    public static string ScopeOf(Caller caller) => caller switch
    {
        Caller.Admin => "admin",
        Caller.Reader r => $"{r.Role}@{r.OrgId}" + (r.Teachers.Count > 0 ? $"[{string.Join(',', r.Teachers)}]" : ""),
        Caller.IngestKey k => $"ingest@{k.OrgId}/{k.Game}",
        _ => "unknown",
    };
}
