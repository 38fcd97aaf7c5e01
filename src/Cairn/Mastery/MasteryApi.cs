using Cairn.Access;
using Cairn.Identity;
using Cairn.Mastery.Storage;
using Cairn.Projections;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Mastery;

/// <summary>A player's mastery per standard, and the explanation of one standard's estimate, of the games the caller's scope covers.</summary>
internal static class MasteryApi
{
    internal sealed record StandardMastery(string Game, string StandardId, double PMastery, string Level, int Observations, int Correct,
        int Scored, double? MeanScore, double? LatestScore, DateTimeOffset FirstAt, DateTimeOffset LastAt, string LastEventId,
        string ParameterVersion, DateTimeOffset UpdatedAt);

    internal sealed record PlayerMastery(string PlayerKey, string? Game, IReadOnlyList<StandardMastery> Standards);

    internal sealed record ParametersUsed(string Version, double Prior, double Learn, double Guess, double Slip, double Forget,
        double Threshold, double Familiar, double Proficient, double Mastered);

    internal sealed record Observation(DateTimeOffset At, string EventId, string EventType, bool Correct, double? Score, double PCorrectBefore, double PMasteryAfter);

    internal sealed record MasteryExplanation(string PlayerKey, string Game, string StandardId, StandardMastery? Row, ParametersUsed Parameters,
        double PMastery, string Level, IReadOnlyList<Observation> Observations);

    public static RouteGroupBuilder MapMasteryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/players").RequireReader().WithTags("Mastery");
        group.MapGet("/{playerKey}/mastery", GetMasteryAsync).WithName("getPlayerMastery")
            .WithSummary("A player's mastery per standard (of one game with ?game=): pMastery, level, answers, scores.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{playerKey}/mastery/{standardId}", ExplainAsync).WithName("explainPlayerMastery")
            .WithSummary("One standard's mastery explained: the row, the parameters used, and every answer with pCorrectBefore and pMasteryAfter.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<PlayerMastery>, ProblemHttpResult>> GetMasteryAsync(
        HttpContext http, string playerKey, string? game, IMasteryStore store, Scopes scopes, CancellationToken cancellationToken)
    {
        var (problem, reach) = await CheckAsync(http, playerKey, game, scopes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var rows = await store.GetPlayerMasteryAsync(playerKey, game, cancellationToken);
        return TypedResults.Ok(new PlayerMastery(playerKey, game, [.. rows.Where(r => reach!.Includes(r.Game)).Select(ToDto)]));
    }

    private static async Task<Results<Ok<MasteryExplanation>, ProblemHttpResult>> ExplainAsync(
        HttpContext http, string playerKey, string standardId, string? game, IMasteryStore store, ProjectionSet projections, Scopes scopes,
        CancellationToken cancellationToken)
    {
        var (problem, reach) = await CheckAsync(http, playerKey, game, scopes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (standardId.Trim().Length is 0 or > MasteryEvidence.MaxStandardLength || standardId.Trim() != standardId)
        {
            return Problems.BadRequest($"'standardId' must be a standard id of 1–{MasteryEvidence.MaxStandardLength} characters without surrounding spaces.");
        }
        var rows = (await store.GetPlayerMasteryAsync(playerKey, game, cancellationToken))
            .Where(r => r.StandardId == standardId && reach!.Includes(r.Game)).ToList();
        if (rows.Count == 0)
        {
            return Problems.NotFound("This player has no mastery of that standard.");
        }
        if (rows.Count > 1)
        {
            return Problems.BadRequest($"The standard has rows in several games ({string.Join(", ", rows.Select(r => r.Game))}): give ?game=.");
        }
        var row = rows[0];
        var projection = (MasteryProjection)projections.Find(MasteryProjection.Name)!;
        var (parameters, observations) = await projection.ObserveAsync(row.OrgId, row.Game, playerKey, standardId, cancellationToken);
        var steps = MasteryCalculator.Replay(observations, parameters.Bkt);
        var p = steps.Count > 0 ? steps[^1].PMasteryAfter : parameters.Bkt.Prior;
        var b = parameters.Bkt;
        var l = parameters.Levels;
        return TypedResults.Ok(new MasteryExplanation(playerKey, row.Game, standardId, ToDto(row),
            new ParametersUsed(parameters.Version, b.Prior, b.Learn, b.Guess, b.Slip, b.Forget, parameters.Threshold * 100, l.Familiar, l.Proficient, l.Mastered),
            p, l.LevelOf(p, steps.Count),
            [.. steps.Select(s => new Observation(s.At, s.EventId, s.EventType, s.Correct, s.Score, s.PCorrectBefore, s.PMasteryAfter))]));
    }

    /// <summary>The checks every mastery read makes: a playerKey in the caller's scope (404 outside it), a valid game.</summary>
    private static async Task<(ProblemHttpResult? Problem, PlayerReach? Reach)> CheckAsync(
        HttpContext http, string playerKey, string? game, Scopes scopes, CancellationToken cancellationToken)
    {
        if (!PlayerKeys.LooksLikeKey(playerKey))
        {
            return (Problems.BadRequest("That is not a playerKey (they look like p1_0123…)."), null);
        }
        if (await scopes.ReachAsync(Authentication.Current(http), playerKey, cancellationToken) is not { } reach)
        {
            return (Problems.NotFound("No such player."), null);
        }
        if (game is not null && !AdminApi.Identifier().IsMatch(game))
        {
            return (Problems.BadRequest("'game' must be a game id."), null);
        }
        return (null, reach);
    }

    private static StandardMastery ToDto(MasteryRow r) => new(r.Game, r.StandardId, r.PMastery, r.Level, r.Observations, r.Correct, r.Scored,
        r.MeanScore, r.LatestScore, r.FirstAt, r.LastAt, r.LastEventId, r.ParameterVersion, r.UpdatedAt);
}
