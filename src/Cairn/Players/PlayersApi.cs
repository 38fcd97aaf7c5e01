using System.Globalization;
using Cairn.Access;
using Cairn.Identity;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Players;

/// <summary>A player's stored events, of the games the caller's scope covers (a teacher: the games of their classes).</summary>
internal static class PlayersApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    public static RouteGroupBuilder MapPlayersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/players").RequireReader().WithTags("Players");
        group.MapGet("/{playerKey}/events", GetTimelineAsync).WithName("getPlayerEvents")
            .WithSummary("A player's timeline, newest first, a page at a time (?since=&until=&limit=&cursor=).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<TimelineResponse>, ProblemHttpResult>> GetTimelineAsync(
        HttpContext http, string playerKey, string? since, string? until, string? limit, string? cursor, IEventLog store, Scopes scopes,
        CancellationToken cancellationToken)
    {
        if (!PlayerKeys.LooksLikeKey(playerKey))
        {
            return Problems.BadRequest("That is not a playerKey (they look like p1_0123…). Find a player's key with /v1/admin/players/lookup.");
        }
        if (await scopes.ReachAsync(Authentication.Current(http), playerKey, cancellationToken) is not { } reach)
        {
            return Problems.NotFound("No such player.");
        }
        if (!TryParseTime(since, "since", out var sinceTime, out var problem) || !TryParseTime(until, "until", out var untilTime, out problem))
        {
            return Problems.BadRequest(problem!);
        }
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            return Problems.BadRequest($"'limit' must be a whole number from 1 to {MaxLimit}.");
        }
        if (cursor is not null && !Cursor.TryDecode(cursor, out _, out _))
        {
            return Problems.BadRequest("'cursor' is not one this server handed out; pass 'nextCursor' from the previous page unchanged.");
        }
        var page = await store.GetTimelineAsync(new TimelineQuery(playerKey, sinceTime, untilTime, size, cursor, reach.Games), cancellationToken);
        return TypedResults.Ok(new TimelineResponse(playerKey, page.Items, page.NextCursor));
    }

    internal static bool TryParseTime(string? text, string name, out DateTimeOffset? value, out string? problem)
    {
        value = null;
        problem = null;
        if (text is null)
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        problem = $"'{name}' must be a date-time such as 2025-09-29T22:02:51Z.";
        return false;
    }
}
