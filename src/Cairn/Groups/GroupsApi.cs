using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Groups;

/// <summary>Classes and their rosters (admin for now; teacher scopes come with roles).</summary>
internal static class GroupsApi
{
    public const int MaxMembers = 2_000;

    internal sealed record CreateGroupRequest(string? Id, string? Org, string? Name, string? Game, IReadOnlyList<string>? Teachers);

    internal sealed record GroupView(string Id, string Org, string Name, string Game, IReadOnlyList<string> Teachers);

    internal sealed record GroupList(IReadOnlyList<GroupView> Groups);

    internal sealed record MemberRequest(string? PlayerId, string? DisplayName);

    internal sealed record MemberView(string PlayerKey, string PlayerId, string? DisplayName);

    internal sealed record MemberList(string GroupId, IReadOnlyList<MemberView> Members);

    public static RouteGroupBuilder MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups").AddEndpointFilter(Authentication.RequireAdminAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{groupId}", GetAsync);
        group.MapPut("/{groupId}/members", ReplaceMembersAsync);
        group.MapGet("/{groupId}/members", GetMembersAsync);
        return group;
    }

    internal static GroupView View(GroupRecord g) => new(g.Id, g.OrgId, g.Name, g.Game, g.Teachers);

    private static async Task<Results<Created<GroupView>, Ok<GroupView>, ProblemHttpResult>> CreateAsync(
        CreateGroupRequest? request, IEventStore store, CatalogRegistry catalogs, CancellationToken cancellationToken)
    {
        if (request?.Id is not { } id || !AdminApi.Identifier().IsMatch(id))
        {
            return Problems.BadRequest("'id' is required: letters, digits, '_', '.', '-', up to 64 characters.");
        }
        if (request.Org is not { } org || !AdminApi.Identifier().IsMatch(org))
        {
            return Problems.BadRequest("'org' is required (the org the class belongs to).");
        }
        if (request.Game is not { } game || !AdminApi.Identifier().IsMatch(game))
        {
            return Problems.BadRequest("'game' is required (the game the class plays).");
        }
        var name = string.IsNullOrWhiteSpace(request.Name) ? id : request.Name.Trim();
        if (name.Length > 200)
        {
            return Problems.BadRequest("'name' is limited to 200 characters.");
        }
        var teachers = request.Teachers ?? [];
        if (teachers.Count > 100 || teachers.Any(t => t is null || !AdminApi.Identifier().IsMatch(t)))
        {
            return Problems.BadRequest("'teachers' must be a list of teacher ids (letters, digits, '_', '.', '-').");
        }
        var existed = await store.GetGroupAsync(id, cancellationToken) is not null;
        var record = new GroupRecord(id, org, name, game, teachers);
        if (!await store.UpsertGroupAsync(record, cancellationToken))
        {
            return TypedResults.Problem($"Group '{id}' already exists for another org or game.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        var view = View(record);
        return existed ? TypedResults.Ok(view) : TypedResults.Created($"/v1/groups/{id}", view);
    }

    private static async Task<Ok<GroupList>> ListAsync(string? org, IEventStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new GroupList((await store.ListGroupsAsync(org, cancellationToken)).Select(View).ToList()));

    private static async Task<Results<Ok<GroupView>, ProblemHttpResult>> GetAsync(string groupId, IEventStore store, CancellationToken cancellationToken) =>
        await store.GetGroupAsync(groupId, cancellationToken) is { } group
            ? TypedResults.Ok(View(group))
            : Problems.NotFound($"No group '{groupId}'.");

    private static async Task<Results<Ok<MemberList>, ProblemHttpResult>> ReplaceMembersAsync(
        string groupId, IReadOnlyList<MemberRequest?>? members, IEventStore store, PlayerKeys playerKeys, CancellationToken cancellationToken)
    {
        if (await store.GetGroupAsync(groupId, cancellationToken) is not { } group)
        {
            return Problems.NotFound($"No group '{groupId}'.");
        }
        if (members is null || members.Count > MaxMembers)
        {
            return Problems.BadRequest($"The body must be a list of at most {MaxMembers} members: [{{\"playerId\": \"…\", \"displayName\": \"…\"}}].");
        }
        var entries = new List<DirectoryEntry>();
        var names = new List<string?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (member?.PlayerId is not { } raw || raw.Trim().Length == 0 || raw.Length > 256)
            {
                return Problems.BadRequest($"Member {i}: 'playerId' is required (at most 256 characters).");
            }
            if (member.DisplayName is { Length: > 200 })
            {
                return Problems.BadRequest($"Member {i}: 'displayName' is limited to 200 characters.");
            }
            var key = playerKeys.Compute(group.OrgId, raw);
            if (!seen.Add(key))
            {
                return Problems.BadRequest($"Member {i}: the same player is listed twice.");
            }
            entries.Add(new DirectoryEntry(group.OrgId, key, raw.Trim()));
            names.Add(string.IsNullOrWhiteSpace(member.DisplayName) ? null : member.DisplayName.Trim());
        }
        await store.ReplaceMembersAsync(group.Id, group.OrgId, entries, names, cancellationToken);
        return TypedResults.Ok(await MembersOf(group.Id, store, cancellationToken));
    }

    private static async Task<Results<Ok<MemberList>, ProblemHttpResult>> GetMembersAsync(string groupId, IEventStore store, CancellationToken cancellationToken) =>
        await store.GetGroupAsync(groupId, cancellationToken) is null
            ? Problems.NotFound($"No group '{groupId}'.")
            : TypedResults.Ok(await MembersOf(groupId, store, cancellationToken));

    private static async Task<MemberList> MembersOf(string groupId, IEventStore store, CancellationToken cancellationToken) =>
        new(groupId, (await store.GetMembersAsync(groupId, cancellationToken)).Select(m => new MemberView(m.PlayerKey, m.RawPlayerId, m.DisplayName)).ToList());
}
