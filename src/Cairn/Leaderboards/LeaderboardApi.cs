using Cairn.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Leaderboards;

/// <summary>A board's page of entries and one player's rank with their neighbours (<see cref="LeaderboardReader"/> scopes both).</summary>
internal static class LeaderboardApi
{
    public static RouteGroupBuilder MapLeaderboardApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/leaderboards").RequireReader().WithTags("Leaderboards");
        group.MapGet("/{game}/{boardId}", GetBoardAsync).WithName("getLeaderboard")
            .WithSummary("A page of a leaderboard (?scope=org|group:G, ?period=current|previous, ?limit=, ?cursor=): rank, playerKey, displayName, score, at.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{game}/{boardId}/players/{playerKey}", GetPlayerAsync).WithName("getLeaderboardPlayer")
            .WithSummary("A player's rank on a leaderboard and the N entries above and below (?around=N, ?scope=, ?period=).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<LeaderboardViews.BoardPage>, ProblemHttpResult>> GetBoardAsync(
        HttpContext http, string game, string boardId, string? org, string? scope, string? period, string? limit, string? cursor,
        LeaderboardReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await reader.ReadBoardAsync(Authentication.Current(http), game, boardId, org, scope, period, Number(limit, "limit"), cursor,
                time.GetUtcNow(), cancellationToken));
        }
        catch (LeaderboardRequestException ex)
        {
            return Problem(ex);
        }
    }

    private static async Task<Results<Ok<LeaderboardViews.BoardPlayerRank>, ProblemHttpResult>> GetPlayerAsync(
        HttpContext http, string game, string boardId, string playerKey, string? scope, string? period, string? around,
        LeaderboardReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await reader.ReadPlayerAsync(Authentication.Current(http), game, boardId, playerKey, scope, period, Number(around, "around"),
                time.GetUtcNow(), cancellationToken));
        }
        catch (LeaderboardRequestException ex)
        {
            return Problem(ex);
        }
    }

    /// <summary>A whole-number query parameter, read here so that "abc" is a 400 with a sentence rather than the framework's bare one.</summary>
    private static int? Number(string? text, string name) =>
        text is null ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw LeaderboardRequestException.BadRequest($"'{name}' must be a whole number.");

    private static ProblemHttpResult Problem(LeaderboardRequestException ex) =>
        ex.Status == StatusCodes.Status404NotFound ? Problems.NotFound(ex.Message) : Problems.BadRequest(ex.Message);
}
