using Cairn.Storage;

namespace Cairn.Access;

/// <summary>
/// Decides whether a caller's scope covers a group or a player. Every read checks the object it returns; a
/// request outside the caller's scope is answered 404, exactly as if the object did not exist.
/// </summary>
internal sealed class Scopes(IEventStore store)
{
    /// <summary>The org a caller is confined to, or null for the admin (all orgs).</summary>
    public static string? OrgOf(Caller caller) => caller switch
    {
        Caller.Reader reader => reader.OrgId,
        Caller.IngestKey key => key.OrgId,
        _ => null,
    };

    public static bool CoversGroup(Caller caller, GroupRecord group) => caller switch
    {
        Caller.Admin => true,
        Caller.Reader { Role: Roles.OrgAdmin } r => r.OrgId == group.OrgId,
        Caller.Reader { Role: Roles.TeacherAdmin or Roles.Teacher } r => r.OrgId == group.OrgId && group.Teachers.Any(r.Teachers.Contains),
        _ => false,
    };

    /// <summary>May create or change this group (and its roster): admins, its org's admin, a teacher-admin managing all its teachers.</summary>
    public static bool CanManageGroup(Caller caller, GroupRecord group) => caller switch
    {
        Caller.Admin => true,
        Caller.Reader { Role: Roles.OrgAdmin } r => r.OrgId == group.OrgId,
        Caller.Reader { Role: Roles.TeacherAdmin } r => r.OrgId == group.OrgId && group.Teachers.Count > 0 && group.Teachers.All(r.Teachers.Contains),
        _ => false,
    };

    /// <summary>May run org-wide operations (erasure, consent, org exports, the quarantine) for the org.</summary>
    public static bool AdministersOrg(Caller caller, string orgId) => caller switch
    {
        Caller.Admin => true,
        Caller.Reader { Role: Roles.OrgAdmin } r => r.OrgId == orgId,
        _ => false,
    };

    /// <summary>Whether a player's data (and so their raw id and name) is within the caller's scope.</summary>
    public async Task<bool> CoversPlayerAsync(Caller caller, string playerKey, CancellationToken cancellationToken)
    {
        switch (caller)
        {
            case Caller.Admin:
                return true;
            case Caller.Reader { Role: Roles.Student } student:
                return student.PlayerKey == playerKey;
            case Caller.Reader { Role: Roles.OrgAdmin } orgAdmin:
                return (await store.GetPlayerAsync(playerKey, cancellationToken))?.OrgId == orgAdmin.OrgId;
            case Caller.Reader reader:
                return (await store.GetGroupsOfPlayerAsync(playerKey, cancellationToken)).Any(g => CoversGroup(reader, g));
            default:
                return false;
        }
    }

    /// <summary>The groups a caller may see, of all groups (or of one org).</summary>
    public async Task<IReadOnlyList<GroupRecord>> VisibleGroupsAsync(Caller caller, CancellationToken cancellationToken) =>
        (await store.ListGroupsAsync(OrgOf(caller), cancellationToken)).Where(g => CoversGroup(caller, g)).ToList();
}
