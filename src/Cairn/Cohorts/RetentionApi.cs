using Cairn.Access;
using Cairn.Activity;
using Cairn.Funnels;
using Cairn.Leaderboards;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Cohorts;

/// <summary>A game's retention cohorts for designers (docs/analytics.md, Retention).</summary>
internal static class RetentionApi
{
    internal sealed record RetentionView(string Game, string Org, string Scope, string Interval, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<RetentionCohort> Cohorts);

    public static RouteGroupBuilder MapRetentionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/games").RequireReader().WithTags("Retention");
        group.MapGet("/{game}/retention", GetAsync).WithName("getRetention")
            .WithSummary("Cohorts by first-seen day or week (?interval=day|week, ?from=, ?to=, ?scope=org|group:G) and the share of each active in each later interval.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<RetentionView>, ProblemHttpResult>> GetAsync(
        HttpContext http, string game, string? org, string? scope, string? interval, string? from, string? to, ActivityScope scopes, IRetentionStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await RunAsync(http, game, org, scope, interval, FunnelsApi.Time(from, "from"), FunnelsApi.Time(to, "to"), scopes, store, time, cancellationToken));
        }
        catch (LeaderboardRequestException ex)
        {
            return FunnelsApi.Problem(ex);
        }
    }

    internal static async Task<RetentionView> RunAsync(
        HttpContext http, string game, string? org, string? scope, string? interval, DateTimeOffset? from, DateTimeOffset? to, ActivityScope scopes,
        IRetentionStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var kind = interval switch
        {
            null or "day" => RetentionInterval.Day,
            "week" => RetentionInterval.Week,
            _ => throw LeaderboardRequestException.BadRequest("'interval' must be day or week."),
        };
        var resolved = await scopes.ResolveAsync(Authentication.Current(http), game, org, scope, cancellationToken);
        var (start, end) = FunnelsApi.Range(from, to, time);
        var days = await store.GetActiveDaysAsync(resolved.OrgId, game, end, resolved.Players, cancellationToken);
        return new RetentionView(game, resolved.OrgId, resolved.ScopeText, kind == RetentionInterval.Day ? "day" : "week", start, end,
            RetentionTable.Compute(days, kind, start, end));
    }
}
