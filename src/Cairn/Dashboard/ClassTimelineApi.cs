using System.Globalization;
using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Players;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Dashboard;

/// <summary>A student's recent events in a class's game, for the teacher: newest first, a page at a time, with their meaning.</summary>
internal static class ClassTimelineApi
{
    public const int DefaultLimit = 50;

    public static RouteGroupBuilder MapClassTimelineApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups/{groupId}").RequireReader().WithTags("Matrix");
        group.MapGet("/players/{playerKey}/timeline", GetTimelineAsync).WithName("getClassMemberTimeline")
            .WithSummary("A class member's recent events in the class's game, newest first (?limit=&cursor=), each with what it meant for a progress point.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<ClassTimeline>, ProblemHttpResult>> GetTimelineAsync(
        HttpContext http, string groupId, string playerKey, string? org, string? limit, string? cursor, Scopes scopes, IGroupStore groups, IEventLog events,
        CatalogRegistry catalogs, CancellationToken cancellationToken)
    {
        if (!PlayerKeys.LooksLikeKey(playerKey))
        {
            return Problems.BadRequest("That is not a playerKey (they look like p1_0123…); take it from the class's matrix.");
        }
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > PlayersApi.MaxLimit))
        {
            return Problems.BadRequest($"'limit' must be a whole number from 1 to {PlayersApi.MaxLimit}.");
        }
        if (cursor is not null && !Cursor.TryDecode(cursor, out _, out _))
        {
            return Problems.BadRequest("'cursor' is not one this server handed out; pass 'nextCursor' from the previous page unchanged.");
        }
        var (group, problem) = await MatrixApi.ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
        if (group is null)
        {
            return problem!;
        }
        // Only a member's events, and only of the class's game: a class does not open a window on other games or other classes' students.
        var member = (await groups.GetMembersAsync(group.OrgId, group.Id, cancellationToken)).FirstOrDefault(m => m.PlayerKey == playerKey);
        if (member is null)
        {
            return Problems.NotFound("No such student in this class.");
        }
        var page = await events.GetTimelineAsync(new TimelineQuery(playerKey, null, null, size, cursor, [group.Game]), cancellationToken);
        var catalog = catalogs.Current.For(group.Game);
        return TypedResults.Ok(new ClassTimeline(group.Id, playerKey, MatrixReader.LabelOf(member),
            [.. page.Items.Select(e => new ClassTimeline.TimelineEntry(e.EventId, e.EventType, e.Timestamp, e.ReceivedAt, e.Source, e.Data,
                catalog is null ? null : EventMeaning.Of(catalog, e.EventType, e.Data)))],
            page.NextCursor));
    }
}
