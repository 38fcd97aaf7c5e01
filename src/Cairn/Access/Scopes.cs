using Cairn.Storage;

namespace Cairn.Access;

/// <summary>
/// Decides whether a caller's scope covers a group or a player. Every read checks the object it returns; a
/// request outside the caller's scope is answered 404, exactly as if the object did not exist.
/// </summary>
internal sealed class Scopes(IGroupStore groups, IPlayerDirectory directory)
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

    /// <summary>
    /// The games of a player's data within the caller's scope, or null when the player is outside it. Org admins, the
    /// admin and the student themselves see every game (<see cref="PlayerReach.All"/>); a teacher or teacher-admin only
    /// the games of the classes through which they cover the player.
    /// </summary>
    public async Task<PlayerReach?> ReachAsync(Caller caller, string playerKey, CancellationToken cancellationToken)
    {
        switch (caller)
        {
            case Caller.Admin:
                return PlayerReach.All;
            case Caller.Reader { Role: Roles.Student } student:
                return student.PlayerKey == playerKey ? PlayerReach.All : null;
            case Caller.Reader { Role: Roles.OrgAdmin } orgAdmin:
                return (await directory.GetPlayerAsync(playerKey, cancellationToken))?.OrgId == orgAdmin.OrgId ? PlayerReach.All : null;
            case Caller.Reader reader:
                var games = (await groups.GetGroupsOfPlayerAsync(playerKey, cancellationToken))
                    .Where(g => CoversGroup(reader, g)).Select(g => g.Game).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return games.Count == 0 ? null : new PlayerReach(games);
            default:
                return null;
        }
    }

    /// <summary>
    /// Resolves a group id within the caller's org (<paramref name="org"/> naming another org finds nothing). The admin
    /// token spans orgs: it names the org, or the id must be unique across orgs.
    /// </summary>
    public async Task<GroupLookup> FindGroupAsync(Caller caller, string groupId, string? org, CancellationToken cancellationToken)
    {
        if (caller is Caller.Admin)
        {
            if (org is not null)
            {
                return new GroupLookup(await groups.GetGroupAsync(org, groupId, cancellationToken));
            }
            var found = await groups.FindGroupsAsync(groupId, cancellationToken);
            return found.Count switch
            {
                0 => GroupLookup.None,
                1 => new GroupLookup(found[0]),
                _ => new GroupLookup(null, Ambiguous: true),
            };
        }
        var own = OrgOf(caller);
        if (own is null || (org is not null && org != own))
        {
            return GroupLookup.None;
        }
        var group = await groups.GetGroupAsync(own, groupId, cancellationToken);
        return group is not null && CoversGroup(caller, group) ? new GroupLookup(group) : GroupLookup.None;
    }

    /// <summary>The groups a caller may see, of all groups (or of one org).</summary>
    public async Task<IReadOnlyList<GroupRecord>> VisibleGroupsAsync(Caller caller, CancellationToken cancellationToken) =>
        (await groups.ListGroupsAsync(OrgOf(caller), cancellationToken)).Where(g => CoversGroup(caller, g)).ToList();
}
