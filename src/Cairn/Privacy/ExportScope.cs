using Cairn.Access;
using Cairn.Storage;

namespace Cairn.Privacy;

/// <summary>
/// What one caller may export, narrowed by the filters it asked for; null when that leaves nothing. <see cref="Reach"/>,
/// when set, holds the only (game, playerKey) pairs whose rows may go out: a teacher's export without a group covers each
/// student only in the games of the classes through which the teacher covers them.
/// </summary>
internal sealed record ExportScope(
    string? OrgId, IReadOnlyCollection<string>? PlayerKeys, string? Game, string Describe, IReadOnlySet<(string Game, string PlayerKey)>? Reach = null)
{
    /// <summary>The scope, or a request problem (the admin naming a group id several orgs have, without the org).</summary>
    public static async Task<(ExportScope? Scope, string? Problem)> ResolveAsync(
        Caller caller, string? groupId, string? org, IGroupStore store, Scopes scopes, CancellationToken cancellationToken)
    {
        if (caller is Caller.Reader { Role: Roles.Student, PlayerKey: { } self } student)
        {
            return (groupId is null && (org is null || org == student.OrgId) ? new ExportScope(student.OrgId, [self], null, "own data") : null, null);
        }
        if (groupId is not null)
        {
            var lookup = await scopes.FindGroupAsync(caller, groupId, org, cancellationToken);
            if (lookup.Group is not { } group)
            {
                return (null, lookup.Ambiguous ? lookup.AmbiguousDetail(groupId) : null);
            }
            var members = (await store.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).Select(m => m.PlayerKey).ToList();
            return (new ExportScope(group.OrgId, members, group.Game, $"group {group.OrgId}/{group.Id}"), null);
        }
        switch (caller)
        {
            case Caller.Admin:
                return (new ExportScope(org, null, null, org is null ? "all orgs" : $"org {org}"), null);
            case Caller.Reader { Role: Roles.OrgAdmin } orgAdmin:
                return (org is null || org == orgAdmin.OrgId ? new ExportScope(orgAdmin.OrgId, null, null, $"org {orgAdmin.OrgId}") : null, null);
            case Caller.Reader { Role: Roles.TeacherAdmin or Roles.Teacher } teacher when org is null || org == teacher.OrgId:
                var groups = await scopes.VisibleGroupsAsync(teacher, cancellationToken);
                var pairs = new HashSet<(string, string)>();
                foreach (var g in groups)
                {
                    foreach (var m in await store.GetMembersAsync(g.OrgId, g.Id, cancellationToken))
                    {
                        pairs.Add((g.Game, m.PlayerKey));
                    }
                }
                var keys = pairs.Select(p => p.Item2).ToHashSet(StringComparer.Ordinal);
                return (keys.Count == 0 ? null : new ExportScope(teacher.OrgId, keys, null, $"{groups.Count} groups", pairs), null);
            default:
                return (null, null);
        }
    }

    /// <summary>Whether a row of this game and player is within the scope (the store filters the rest).</summary>
    public bool Allows(string game, string? playerKey) => Reach is null || (playerKey is not null && Reach.Contains((game, playerKey)));
}
