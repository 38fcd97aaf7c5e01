using Cairn.Progress.Storage;
using Cairn.Access;
using Cairn.Identity;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Progress;

/// <summary>A player's materialized progress rows, of the games the caller's scope covers.</summary>
internal static class ProgressApi
{
    internal sealed record ProgressCell(string PointId, string Status, double? Score, double? DurationSeconds, int? Count,
        DateTimeOffset? CompletedAt, string ScoreVersion, string TriggerEventId, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt);

    internal sealed record PlayerProgress(string PlayerKey, string? Game, IReadOnlyList<ProgressCell> Points);

    public static RouteGroupBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/players").RequireReader().WithTags("Players");
        group.MapGet("/{playerKey}/progress", GetProgressAsync).WithName("getPlayerProgress")
            .WithSummary("A player's progress points (of one game with ?game=).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<PlayerProgress>, ProblemHttpResult>> GetProgressAsync(
        HttpContext http, string playerKey, string? game, IProgressStore store, Scopes scopes, CancellationToken cancellationToken)
    {
        if (!PlayerKeys.LooksLikeKey(playerKey))
        {
            return Problems.BadRequest("That is not a playerKey (they look like p1_0123…).");
        }
        if (await scopes.ReachAsync(Authentication.Current(http), playerKey, cancellationToken) is not { } reach)
        {
            return Problems.NotFound("No such player.");
        }
        if (game is not null && !AdminApi.Identifier().IsMatch(game))
        {
            return Problems.BadRequest("'game' must be a game id.");
        }
        var rows = await store.GetPlayerProgressAsync(playerKey, game, cancellationToken);
        return TypedResults.Ok(new PlayerProgress(playerKey, game, rows
            .Where(r => reach.Includes(r.Game))
            .Select(r => new ProgressCell(r.PointId, r.Status, r.Score, r.DurationSeconds, r.Count, r.CompletionTime, r.ScoreVersion, r.TriggerEventId, r.UpdatedAt, r.StartedAt))
            .ToList()));
    }
}
