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

    internal sealed record MemberRequest(string? PlayerId, string? DisplayName, string? Consent = null, bool? Under13 = null, bool? ParentalConsent = null);

    internal sealed record MemberView(string PlayerKey, string PlayerId, string? DisplayName);

    internal sealed record MemberList(string GroupId, IReadOnlyList<MemberView> Members);

    public static RouteGroupBuilder MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups").RequireReader();
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{groupId}", GetAsync);
        // A roster is larger than other bodies (Http:MaxRosterBodyBytes); the caller is authenticated before it is read.
        group.MapPut("/{groupId}/members", ReplaceMembersAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(
            app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.HttpOptions>>().Value.MaxRosterBodyBytes));
        group.MapGet("/{groupId}/members", GetMembersAsync);
        return group;
    }

    internal static GroupView View(GroupRecord g) => new(g.Id, g.OrgId, g.Name, g.Game, g.Teachers);

    private static async Task<Results<Created<GroupView>, Ok<GroupView>, ProblemHttpResult>> CreateAsync(
        HttpContext http, CreateGroupRequest? request, IEventStore store, CatalogRegistry catalogs, CancellationToken cancellationToken)
    {
        var caller = Authentication.Current(http);
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
        var existing = await store.GetGroupAsync(id, cancellationToken);
        var record = new GroupRecord(id, org, name, game, teachers);
        if (existing is not null && !Scopes.CoversGroup(caller, existing))
        {
            // Someone else's group: say no more than a conflict would, and nothing about its org.
            return TypedResults.Problem($"Group id '{id}' is taken.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        if (!Scopes.CanManageGroup(caller, record) || (existing is not null && !Scopes.CanManageGroup(caller, existing)))
        {
            return Problems.Forbidden("Your token may not create or change this group (its org, or teachers you do not manage).");
        }
        var existed = existing is not null;
        if (!await store.UpsertGroupAsync(record, cancellationToken))
        {
            return TypedResults.Problem($"Group '{id}' already exists for another org or game.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        var view = View(record);
        return existed ? TypedResults.Ok(view) : TypedResults.Created($"/v1/groups/{id}", view);
    }

    private static async Task<Ok<GroupList>> ListAsync(HttpContext http, string? org, Scopes scopes, CancellationToken cancellationToken) =>
        TypedResults.Ok(new GroupList((await scopes.VisibleGroupsAsync(Authentication.Current(http), cancellationToken))
            .Where(g => org is null || g.OrgId == org).Select(View).ToList()));

    private static async Task<Results<Ok<GroupView>, ProblemHttpResult>> GetAsync(HttpContext http, string groupId, IEventStore store, CancellationToken cancellationToken) =>
        await Dashboard.MatrixApi.VisibleGroupAsync(http, groupId, store, cancellationToken) is { } group
            ? TypedResults.Ok(View(group))
            : Problems.NotFound($"No group '{groupId}'.");

    private static async Task<Results<Ok<MemberList>, ProblemHttpResult>> ReplaceMembersAsync(
        HttpContext http, string groupId, IReadOnlyList<MemberRequest?>? members, IEventStore store, PlayerKeys playerKeys, OptOuts optOuts, Audit audit,
        CancellationToken cancellationToken)
    {
        if (await Dashboard.MatrixApi.VisibleGroupAsync(http, groupId, store, cancellationToken) is not { } group)
        {
            return Problems.NotFound($"No group '{groupId}'.");
        }
        var caller = Authentication.Current(http);
        if (!Scopes.CanManageGroup(caller, group))
        {
            return Problems.Forbidden("Your token may read this group but not change its roster.");
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
            if (member.Consent is not (null or Consents.Granted or Consents.OptedOut or Consents.Unknown))
            {
                return Problems.BadRequest($"Member {i}: 'consent' must be granted, opted-out or unknown.");
            }
            var key = playerKeys.Compute(group.OrgId, raw);
            if (!seen.Add(key))
            {
                return Problems.BadRequest($"Member {i}: the same player is listed twice.");
            }
            entries.Add(new DirectoryEntry(group.OrgId, key, raw.Trim()));
            // COPPA: a child under 13 without parental consent keeps no name.
            var nameless = member.Under13 == true && member.ParentalConsent != true;
            names.Add(nameless || string.IsNullOrWhiteSpace(member.DisplayName) ? null : member.DisplayName.Trim());
        }
        // Consent first, so the directory write sees the child flags; what a member leaves out keeps its recorded value.
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i]!;
            if (member.Consent is not null || member.Under13 is not null || member.ParentalConsent is not null)
            {
                var known = await store.GetPlayerAsync(entries[i].PlayerKey, cancellationToken);
                var consent = member.Consent ?? known?.Consent ?? Consents.Unknown;
                await store.SetConsentAsync(new ConsentRecord(group.OrgId, entries[i].PlayerKey, entries[i].RawPlayerId, consent,
                    member.Under13 ?? known?.Under13 ?? false, member.ParentalConsent ?? known?.ParentalConsent ?? false), cancellationToken);
                optOuts.Set(entries[i].PlayerKey, consent == Consents.OptedOut);
            }
        }
        await store.ReplaceMembersAsync(group.Id, group.OrgId, entries, names, cancellationToken);
        await audit.RecordAsync(caller, "roster.replace", Audit.ScopeOf(caller), $"group {group.Id}: {entries.Count} members", cancellationToken);
        return TypedResults.Ok(await MembersOf(group.Id, store, cancellationToken));
    }

    private static async Task<Results<Ok<MemberList>, ProblemHttpResult>> GetMembersAsync(
        HttpContext http, string groupId, IEventStore store, Audit audit, CancellationToken cancellationToken)
    {
        if (await Dashboard.MatrixApi.VisibleGroupAsync(http, groupId, store, cancellationToken) is not { } group)
        {
            return Problems.NotFound($"No group '{groupId}'.");
        }
        var caller = Authentication.Current(http);
        var members = await MembersOf(group.Id, store, cancellationToken);
        await audit.RecordAsync(caller, "directory.read", Audit.ScopeOf(caller), $"group {group.Id}: {members.Members.Count} members", cancellationToken);
        return TypedResults.Ok(members);
    }

    private static async Task<MemberList> MembersOf(string groupId, IEventStore store, CancellationToken cancellationToken) =>
        new(groupId, (await store.GetMembersAsync(groupId, cancellationToken)).Select(m => new MemberView(m.PlayerKey, m.RawPlayerId, m.DisplayName)).ToList());
}
