using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Groups;

/// <summary>Classes and their rosters. A group id is unique within its org; every route resolves it within the caller's org.</summary>
internal static class GroupsApi
{
    public const int MaxMembers = 2_000;

    internal sealed record CreateGroupRequest(string? Id, string? Org, string? Name, string? Game, IReadOnlyList<string>? Teachers);

    internal sealed record GroupView(string Id, string Org, string Name, string Game, IReadOnlyList<string> Teachers);

    internal sealed record GroupList(IReadOnlyList<GroupView> Groups);

    /// <param name="Categories">Per event category, granted (true) or declined (false), as in PUT /v1/players/consent.</param>
    internal sealed record MemberRequest(string? PlayerId, string? DisplayName, string? Consent = null, bool? Under13 = null, bool? ParentalConsent = null,
        IReadOnlyDictionary<string, bool>? Categories = null);

    internal sealed record MemberView(string PlayerKey, string PlayerId, string? DisplayName);

    /// <summary>A roster; <c>notes</c> (on a change only) says what of the request was not applied and why.</summary>
    internal sealed record MemberList(string GroupId, IReadOnlyList<MemberView> Members, IReadOnlyList<string>? Notes = null);

    public static RouteGroupBuilder MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups").RequireReader().WithTags("Groups");
        group.MapPost("/", CreateAsync).WithName("createGroup")
            .WithSummary("Creates a class (201) or updates its name and teachers (200).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("listGroups").WithSummary("The classes the token covers.");
        group.MapGet("/{groupId}", GetAsync).WithName("getGroup").WithSummary("One class.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        // A roster is larger than other bodies (Http:MaxRosterBodyBytes); the caller is authenticated before it is read.
        group.MapPut("/{groupId}/members", ReplaceMembersAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(
            app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.HttpOptions>>().Value.MaxRosterBodyBytes))
            .WithName("replaceMembers").WithSummary("Replaces the class's roster; the answer is the new roster, with notes on what was kept.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{groupId}/members", GetMembersAsync).WithName("getMembers").WithSummary("The class's roster.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    internal static GroupView View(GroupRecord g) => new(g.Id, g.OrgId, g.Name, g.Game, g.Teachers);

    private static async Task<Results<Created<GroupView>, Ok<GroupView>, ProblemHttpResult>> CreateAsync(
        HttpContext http, CreateGroupRequest? request, Stores store, CatalogRegistry catalogs, CancellationToken cancellationToken)
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
        // Decided before the store is asked, so the answer says nothing about groups the caller may not create anyway:
        // another org's group ids are unknown here, taken or not.
        if (caller is Caller.Reader reader && (reader.OrgId != org || reader.Role is not (Roles.OrgAdmin or Roles.TeacherAdmin)))
        {
            return Problems.Forbidden(reader.OrgId != org
                ? "Your token creates groups in its own org only."
                : "Groups are created by org admins and teacher-admins.");
        }
        var existing = await store.Groups.GetGroupAsync(org, id, cancellationToken);
        var record = new GroupRecord(id, org, name, game, teachers);
        if (existing is not null && !Scopes.CoversGroup(caller, existing))
        {
            // A group of the caller's org that they do not see: say no more than a conflict would.
            return TypedResults.Problem($"Group id '{id}' is taken.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        if (!Scopes.CanManageGroup(caller, record) || (existing is not null && !Scopes.CanManageGroup(caller, existing)))
        {
            return Problems.Forbidden("Your token may not create or change this group (teachers you do not manage).");
        }
        var existed = existing is not null;
        if (!await store.Groups.UpsertGroupAsync(record, cancellationToken))
        {
            return TypedResults.Problem($"Group '{id}' already exists for another game.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        var view = View(record);
        return existed ? TypedResults.Ok(view) : TypedResults.Created($"/v1/groups/{id}?org={org}", view);
    }

    private static async Task<Ok<GroupList>> ListAsync(HttpContext http, string? org, Scopes scopes, CancellationToken cancellationToken) =>
        TypedResults.Ok(new GroupList((await scopes.VisibleGroupsAsync(Authentication.Current(http), cancellationToken))
            .Where(g => org is null || g.OrgId == org).Select(View).ToList()));

    private static async Task<Results<Ok<GroupView>, ProblemHttpResult>> GetAsync(
        HttpContext http, string groupId, string? org, Scopes scopes, CancellationToken cancellationToken) =>
        await Dashboard.MatrixApi.ResolveGroupAsync(http, groupId, org, scopes, cancellationToken) is var (group, problem) && group is not null
            ? TypedResults.Ok(View(group))
            : problem!;

    /// <summary>
    /// Replaces a roster. Consent and age flags change only through the consent API or a roster of someone who sets consent
    /// (admin, org admin): anyone else's roster keeps them as recorded for players already in the directory, and says so in
    /// <c>notes</c>. A teacher-admin adds a student already in the directory only when the student is in no class yet or
    /// already in one of theirs; a name an org admin set is kept against a teacher-admin's roster.
    /// </summary>
    private static async Task<Results<Ok<MemberList>, ProblemHttpResult>> ReplaceMembersAsync(
        HttpContext http, string groupId, string? org, IReadOnlyList<MemberRequest?>? members, Stores store, Scopes scopes, PlayerKeys playerKeys,
        OptOuts optOuts, Audit audit, CancellationToken cancellationToken)
    {
        var (group, problem) = await Dashboard.MatrixApi.ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
        if (group is null)
        {
            return problem!;
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
            if (Consent.ConsentCategories.Check(member.Categories, $"Member {i}: ") is { } unknownCategory)
            {
                return Problems.BadRequest(unknownCategory);
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
        var setsConsent = Scopes.AdministersOrg(caller, group.OrgId);
        var known = new PlayerInfo?[members.Count];
        var current = setsConsent ? null : (await store.Groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).Select(m => m.PlayerKey).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i]!;
            var hasConsentFields = member.Consent is not null || member.Under13 is not null || member.ParentalConsent is not null || member.Categories is not null;
            if (setsConsent && !hasConsentFields)
            {
                continue;
            }
            known[i] = await store.Directory.GetPlayerAsync(entries[i].PlayerKey, cancellationToken);
            // A teacher-admin's roster is no way to reach a student of other classes: one already in the directory joins only
            // when they are in no class yet or already in a class this caller covers.
            if (!setsConsent && known[i] is not null && !current!.Contains(entries[i].PlayerKey)
                && await store.Groups.GetGroupsOfPlayerAsync(entries[i].PlayerKey, cancellationToken) is { Count: > 0 } classes
                && !classes.Any(c => Scopes.CoversGroup(caller, c)))
            {
                return Problems.Forbidden($"Member {i}: this student is already in other classes of the org and in none of yours; an org admin adds them to this class.");
            }
        }
        // Consent first, so the directory write sees the child flags; what a member leaves out keeps its recorded value.
        var notes = new List<string>();
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i]!;
            if (member.Consent is null && member.Under13 is null && member.ParentalConsent is null && member.Categories is null)
            {
                continue;
            }
            if (!setsConsent && known[i] is not null)
            {
                notes.Add($"Member {i}: consent and age flags kept as recorded (a student already in the directory has them changed by an org admin, with PUT /v1/players/consent).");
                continue;
            }
            var consent = member.Consent ?? known[i]?.Consent ?? Consents.Unknown;
            await store.Directory.SetConsentAsync(new ConsentRecord(group.OrgId, entries[i].PlayerKey, entries[i].RawPlayerId, consent,
                member.Under13 ?? known[i]?.Under13 ?? false, member.ParentalConsent ?? known[i]?.ParentalConsent ?? false), cancellationToken);
            optOuts.Set(entries[i].PlayerKey, consent == Consents.OptedOut);
            if (member.Categories is { Count: > 0 } choices)
            {
                var categoryStore = http.RequestServices.GetRequiredService<Consent.Storage.IConsentCategoryStore>();
                await categoryStore.SetAsync(group.OrgId, entries[i].PlayerKey, choices, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
                http.RequestServices.GetRequiredService<Consent.ConsentCategories>()
                    .Set(entries[i].PlayerKey, await categoryStore.GetAsync(group.OrgId, entries[i].PlayerKey, cancellationToken));
            }
        }
        var change = await store.Groups.ReplaceMembersAsync(group.Id, group.OrgId, entries, names, lockNames: setsConsent, cancellationToken);
        http.RequestServices.GetService<ClassRosters>()?.Forget(group.OrgId, group.Id, change.Removed);
        await audit.RecordAsync(caller, "roster.replace", Audit.ScopeOf(caller), Audit.RosterDetail(group, entries.Count, change, notes.Count), cancellationToken);
        var list = await MembersOf(group, store.Groups, cancellationToken);
        return TypedResults.Ok(list with { Notes = notes });
    }

    private static async Task<Results<Ok<MemberList>, ProblemHttpResult>> GetMembersAsync(
        HttpContext http, string groupId, string? org, Scopes scopes, IGroupStore store, Audit audit, CancellationToken cancellationToken)
    {
        var (group, problem) = await Dashboard.MatrixApi.ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
        if (group is null)
        {
            return problem!;
        }
        var caller = Authentication.Current(http);
        var members = await MembersOf(group, store, cancellationToken);
        await audit.RecordAsync(caller, "directory.read", Audit.ScopeOf(caller), $"group {group.OrgId}/{group.Id}: {members.Members.Count} members", cancellationToken);
        return TypedResults.Ok(members);
    }

    private static async Task<MemberList> MembersOf(GroupRecord group, IGroupStore store, CancellationToken cancellationToken) =>
        new(group.Id, (await store.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).Select(m => new MemberView(m.PlayerKey, m.RawPlayerId, m.DisplayName)).ToList());
}
