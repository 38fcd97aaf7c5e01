using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Leaderboards;
using Cairn.Storage;

namespace Cairn.Activity;

/// <summary>
/// Who an activity read may count and name: the caller's org (the admin names one), a game with a catalog, for a teacher a
/// game of one of their classes; counts cover the scope (the org, or a group the caller covers), names and keys only the
/// players the caller's scope covers (the org's admin: all; a teacher: their classes of the game; a student: themselves).
/// </summary>
internal sealed class ActivityScope(Scopes scopes, IGroupStore groups, IPlayerDirectory directory, CatalogRegistry catalogs)
{
    internal sealed record Resolved(string OrgId, string ScopeText, IReadOnlyList<string>? Players, Func<string, bool> Covers, IReadOnlyDictionary<string, string?> Names);

    public async Task<Resolved> ResolveAsync(Caller caller, string game, string? org, string? scope, CancellationToken cancellationToken)
    {
        if (!AdminApi.Identifier().IsMatch(game))
        {
            throw LeaderboardRequestException.BadRequest("The game must be an id (letters, digits, '.', '_', '-').");
        }
        var own = Scopes.OrgOf(caller);
        var orgId = own ?? (org is not null && AdminApi.Identifier().IsMatch(org)
            ? org
            : throw LeaderboardRequestException.BadRequest("'org' is required with the admin token (?org=O): the figures are one org's."));
        if (org is not null && org != orgId)
        {
            throw LeaderboardRequestException.NotFound("No such game.");
        }
        if (catalogs.Current.For(game) is null)
        {
            throw LeaderboardRequestException.NotFound("No such game.");
        }
        var teacherGroups = caller is Caller.Reader { Role: Roles.Teacher or Roles.TeacherAdmin }
            ? (await scopes.VisibleGroupsAsync(caller, cancellationToken)).Where(g => g.OrgId == orgId && g.Game == game).ToList()
            : null;
        if (teacherGroups is { Count: 0 })
        {
            throw LeaderboardRequestException.NotFound("No such game.");
        }
        IReadOnlyList<string>? players = null;
        var scopeText = scope ?? "org";
        if (scopeText.StartsWith("group:", StringComparison.Ordinal) && AdminApi.Identifier().IsMatch(scopeText[6..]))
        {
            if ((await scopes.FindGroupAsync(caller, scopeText[6..], orgId, cancellationToken)).Group is not { } group || group.Game != game)
            {
                throw LeaderboardRequestException.NotFound("No such group (of this game, in the caller's scope).");
            }
            players = [.. (await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).Select(m => m.PlayerKey)];
        }
        else if (scopeText != "org")
        {
            throw LeaderboardRequestException.BadRequest("'scope' must be org or group:{groupId}.");
        }
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var group in teacherGroups ?? [])
        {
            foreach (var member in await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken))
            {
                names[member.PlayerKey] = member.Nameless ? null : member.DisplayName;
            }
        }
        Func<string, bool> covers = caller switch
        {
            Caller.Admin => _ => true,
            Caller.Reader { Role: Roles.OrgAdmin } => _ => true,
            Caller.Reader { Role: Roles.Student } s => key => key == s.PlayerKey,
            _ => names.ContainsKey,
        };
        return new Resolved(orgId, scopeText, players, covers, names);
    }

    /// <summary>A covered player's name (the roster's, else the directory's; none for a child without parental consent).</summary>
    public async Task<string?> NameOfAsync(Resolved resolved, string playerKey, CancellationToken cancellationToken) =>
        resolved.Names.TryGetValue(playerKey, out var name) ? name : (await directory.GetPlayerAsync(playerKey, cancellationToken))?.DisplayName;
}
