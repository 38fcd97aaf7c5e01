using Cairn.Access;
using Cairn.Storage;

namespace Cairn.Privacy;

/// <summary>What one caller may export, narrowed by the filters it asked for; null when that leaves nothing.</summary>
internal sealed record ExportScope(string? OrgId, IReadOnlyCollection<string>? PlayerKeys, string? Game, string Describe)
{
    public static async Task<ExportScope?> ResolveAsync(
        Caller caller, string? groupId, string? org, IEventStore store, Scopes scopes, CancellationToken cancellationToken)
    {
        if (caller is Caller.Reader { Role: Roles.Student, PlayerKey: { } self } student)
        {
            return groupId is null && (org is null || org == student.OrgId) ? new ExportScope(student.OrgId, [self], null, "own data") : null;
        }
        if (groupId is not null)
        {
            var group = await store.GetGroupAsync(groupId, cancellationToken);
            if (group is null || !Scopes.CoversGroup(caller, group) || (org is not null && org != group.OrgId))
            {
                return null;
            }
            var members = (await store.GetMembersAsync(group.Id, cancellationToken)).Select(m => m.PlayerKey).ToList();
            return new ExportScope(group.OrgId, members, group.Game, $"group {group.Id}");
        }
        switch (caller)
        {
            case Caller.Admin:
                return new ExportScope(org, null, null, org is null ? "all orgs" : $"org {org}");
            case Caller.Reader { Role: Roles.OrgAdmin } orgAdmin:
                return org is null || org == orgAdmin.OrgId ? new ExportScope(orgAdmin.OrgId, null, null, $"org {orgAdmin.OrgId}") : null;
            case Caller.Reader { Role: Roles.TeacherAdmin or Roles.Teacher } teacher when org is null || org == teacher.OrgId:
                var groups = await scopes.VisibleGroupsAsync(teacher, cancellationToken);
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var g in groups)
                {
                    foreach (var m in await store.GetMembersAsync(g.Id, cancellationToken))
                    {
                        keys.Add(m.PlayerKey);
                    }
                }
                return keys.Count == 0 ? null : new ExportScope(teacher.OrgId, keys, null, $"{groups.Count} groups");
            default:
                return null;
        }
    }
}
