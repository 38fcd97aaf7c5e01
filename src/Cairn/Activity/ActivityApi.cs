using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Access;
using Cairn.Leaderboards;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Activity;

/// <summary>A game's players active now and its engagement figures, for designers (docs/player-state.md#activity-and-engagement).</summary>
internal static partial class ActivityApi
{
    public const int DefaultMinutes = 5;
    public const int MaxMinutes = 1440;
    public const int DefaultDays = 7;
    public const int MaxDays = 366;

    /// <summary>An active player the caller's scope covers; <c>displayName</c> left out when the directory has none.</summary>
    internal sealed record ActivePlayerView(string PlayerKey, string? DisplayName, DateTimeOffset LastEventAt);

    /// <summary><c>active</c> counts every player of the scope; <c>players</c> lists only those the caller's scope covers.</summary>
    internal sealed record ActiveView(string Game, string Org, string Scope, int Minutes, DateTimeOffset Since, int Active, IReadOnlyList<ActivePlayerView> Players);

    internal sealed record EngagementView(
        string Game, string Org, string Scope, string EventType, string? Content, int Days, DateTimeOffset Since, long TotalEvents, long UniquePlayers,
        string? TimeField, double? AverageTime);

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();

    public static RouteGroupBuilder MapActivityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/games").RequireReader().WithTags("Activity");
        group.MapGet("/{game}/active", GetActiveAsync).WithName("getActivePlayers")
            .WithSummary("Players with an event in the last M minutes (?minutes=, ?scope=org|group:G): a count of all, names only of those in the caller's scope.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{game}/engagement", GetEngagementAsync).WithName("getEngagement")
            .WithSummary("Events of a type in the last D days (?eventType=, ?content=FIELD:VALUE, ?days=, ?timeField=): total, unique players, average time.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<ActiveView>, ProblemHttpResult>> GetActiveAsync(
        HttpContext http, string game, string? org, string? scope, string? minutes, ActivityScope scopes, IActivityStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        try
        {
            var window = Number(minutes, "minutes", DefaultMinutes, MaxMinutes);
            var resolved = await scopes.ResolveAsync(Authentication.Current(http), game, org, scope, cancellationToken);
            var since = time.GetUtcNow().AddMinutes(-window);
            var active = await store.GetActivePlayersAsync(new ActivityFilter(resolved.OrgId, game, since, resolved.Players), cancellationToken);
            var shown = new List<ActivePlayerView>();
            foreach (var player in active.Where(p => resolved.Covers(p.PlayerKey)).Take(500))
            {
                shown.Add(new ActivePlayerView(player.PlayerKey, await scopes.NameOfAsync(resolved, player.PlayerKey, cancellationToken), player.LastEventAt));
            }
            return TypedResults.Ok(new ActiveView(game, resolved.OrgId, resolved.ScopeText, window, since, active.Count, shown));
        }
        catch (LeaderboardRequestException ex)
        {
            return Problem(ex);
        }
    }

    private static async Task<Results<Ok<EngagementView>, ProblemHttpResult>> GetEngagementAsync(
        HttpContext http, string game, string? org, string? scope, string? eventType, string? content, string? days, string? timeField,
        ActivityScope scopes, IActivityStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            if (eventType is null || !AdminApi.Identifier().IsMatch(eventType))
            {
                throw LeaderboardRequestException.BadRequest("'eventType' is required and must be an event type (?eventType=waypoint_visited).");
            }
            (string Field, string Value)? match = null;
            if (content is not null)
            {
                var colon = content.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !FieldName().IsMatch(content[..colon]) || content.Length - colon - 1 is < 1 or > 256)
                {
                    throw LeaderboardRequestException.BadRequest("'content' must be FIELD:VALUE, a data field name (letters, digits, '_') and its value (?content=contentId:8_inter_gravity_car).");
                }
                match = (content[..colon], content[(colon + 1)..]);
            }
            if (timeField is not null && !FieldName().IsMatch(timeField))
            {
                throw LeaderboardRequestException.BadRequest("'timeField' must be a data field name (letters, digits, '_'), e.g. time_spent.");
            }
            var window = Number(days, "days", DefaultDays, MaxDays);
            var resolved = await scopes.ResolveAsync(Authentication.Current(http), game, org, scope, cancellationToken);
            var since = time.GetUtcNow().AddDays(-window);
            var figures = await store.GetEngagementAsync(new ActivityFilter(resolved.OrgId, game, since, resolved.Players), eventType, match, timeField, cancellationToken);
            return TypedResults.Ok(new EngagementView(game, resolved.OrgId, resolved.ScopeText, eventType, content, window, since, figures.TotalEvents,
                figures.UniquePlayers, timeField, figures.AverageValue));
        }
        catch (LeaderboardRequestException ex)
        {
            return Problem(ex);
        }
    }

    private static int Number(string? text, string name, int fallback, int max)
    {
        if (text is null)
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max
            ? n
            : throw LeaderboardRequestException.BadRequest($"'{name}' must be a whole number from 1 to {max}.");
    }

    private static ProblemHttpResult Problem(LeaderboardRequestException ex) =>
        ex.Status == StatusCodes.Status404NotFound ? Problems.NotFound(ex.Message) : Problems.BadRequest(ex.Message);
}
