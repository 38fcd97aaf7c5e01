namespace Cairn.Storage;

/// <summary>
/// One line of the audit log: who (a key id, never a secret), did what, within which scope. It never holds a raw
/// player id or a name; a roster change names the playerKeys it added and removed, and nothing else does.
/// </summary>
internal sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Scope, string Detail);
