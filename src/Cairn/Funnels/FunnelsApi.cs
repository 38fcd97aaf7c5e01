using System.Globalization;
using System.Text.Json;
using Cairn.Access;
using Cairn.Activity;
using Cairn.Catalogs;
using Cairn.Leaderboards;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Funnels;

/// <summary>Funnels of a game: an ad-hoc query, and the catalog's saved funnels listed and run by id (docs/analytics.md, Funnels).</summary>
internal static class FunnelsApi
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Per step, how many players dropped there (of the scope) and the keys of those the caller's scope covers.</summary>
    internal sealed record DroppedView(int Step, long Count, IReadOnlyList<string> Players);

    internal sealed record FunnelView(
        string Game, string Org, string Scope, string? Id, string? Title, string Order, long WindowSeconds, DateTimeOffset From, DateTimeOffset To, string? Breakdown,
        IReadOnlyList<FunnelStep> Steps, IReadOnlyList<FunnelBreakdown>? Breakdowns, IReadOnlyList<DroppedView> Dropped, long Excluded);

    internal sealed record SavedFunnelView(string Id, string? Title, IReadOnlyList<string> Steps, string Order, long WindowSeconds, string? Breakdown, int Exclusions);

    internal sealed record SavedFunnelsView(string Game, IReadOnlyList<SavedFunnelView> Funnels);

    public static RouteGroupBuilder MapFunnelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/games").RequireReader().WithTags("Funnels");
        group.MapPost("/{game}/funnels/query", QueryAsync).WithName("queryFunnel")
            .WithSummary("A funnel over the event log: {steps, windowSeconds, order, from, to, scope, breakdown, exclusions}; per step players, conversion, times, drop-outs.")
            .Accepts<JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{game}/funnels", ListAsync).WithName("listFunnels")
            .WithSummary("The game catalog's saved funnels.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{game}/funnels/{id}/run", RunSavedAsync).WithName("runFunnel")
            .WithSummary("Runs a saved funnel (?from=, ?to=, ?scope=org|group:G).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<FunnelView>, ProblemHttpResult>> QueryAsync(
        HttpContext http, string game, string? org, ActivityScope scopes, IFunnelStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            JsonElement body;
            try
            {
                if (http.Request.ContentLength > MaxBodyBytes)
                {
                    throw LeaderboardRequestException.BadRequest($"the body is larger than {MaxBodyBytes} bytes");
                }
                using var document = await JsonDocument.ParseAsync(http.Request.Body, default, cancellationToken);
                body = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw LeaderboardRequestException.BadRequest($"the body is not valid JSON: {ex.Message}");
            }
            var query = FunnelQueryParser.Parse(body);
            return TypedResults.Ok(await RunAsync(http, game, org, query.Scope, query.Funnel, query.From, query.To, scopes, store, time, cancellationToken));
        }
        catch (LeaderboardRequestException ex)
        {
            return Problem(ex);
        }
    }

    private static async Task<Results<Ok<SavedFunnelsView>, ProblemHttpResult>> ListAsync(
        HttpContext http, string game, string? org, ActivityScope scopes, CatalogRegistry catalogs, CancellationToken cancellationToken)
    {
        try
        {
            await scopes.ResolveAsync(Authentication.Current(http), game, org, null, cancellationToken);
            var saved = catalogs.Current.For(game)?.Funnels ?? [];
            return TypedResults.Ok(new SavedFunnelsView(game, [.. saved.Select(f => new SavedFunnelView(f.Id!, f.Title, [.. f.Steps.Select(FunnelDefinition.Label)],
                FunnelDefinition.Name(f.Order), f.WindowSeconds, f.Breakdown, f.Exclusions.Count))]));
        }
        catch (LeaderboardRequestException ex)
        {
            return Problem(ex);
        }
    }

    private static async Task<Results<Ok<FunnelView>, ProblemHttpResult>> RunSavedAsync(
        HttpContext http, string game, string id, string? org, string? scope, string? from, string? to, ActivityScope scopes, IFunnelStore store,
        CatalogRegistry catalogs, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await scopes.ResolveAsync(Authentication.Current(http), game, org, scope, cancellationToken);
            var funnel = catalogs.Current.For(game)?.Funnels.FirstOrDefault(f => f.Id == id)
                ?? throw LeaderboardRequestException.NotFound($"No saved funnel '{id}' in the catalog of '{game}'.");
            return TypedResults.Ok(await RunAsync(http, game, org, scope, funnel, Time(from, "from"), Time(to, "to"), scopes, store, time, cancellationToken));
        }
        catch (LeaderboardRequestException ex)
        {
            return Problem(ex);
        }
    }

    /// <summary>Runs a funnel for the caller: counts over the scope, dropped players' keys only of those the caller's scope covers.</summary>
    internal static async Task<FunnelView> RunAsync(
        HttpContext http, string game, string? org, string? scope, FunnelDefinition funnel, DateTimeOffset? from, DateTimeOffset? to, ActivityScope scopes,
        IFunnelStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var resolved = await scopes.ResolveAsync(Authentication.Current(http), game, org, scope, cancellationToken);
        var (start, end) = Range(from, to, time);
        var events = await store.ReadAsync(new FunnelRead(resolved.OrgId, game, start, end, funnel.EventTypes, resolved.Players, funnel.BreakdownColumn), cancellationToken);
        var outcome = FunnelEngine.Compute(funnel, events);
        var dropped = outcome.Steps.Skip(1).Select(s => new DroppedView(s.Step, s.Dropped, [.. outcome.Dropped[s.Step].Where(resolved.Covers)])).ToList();
        return new FunnelView(game, resolved.OrgId, resolved.ScopeText, funnel.Id, funnel.Title, FunnelDefinition.Name(funnel.Order), funnel.WindowSeconds, start, end,
            funnel.Breakdown, outcome.Steps, outcome.Breakdown, dropped, outcome.Excluded);
    }

    /// <summary>[from, to): by default the last 30 days up to now; at most 366 days.</summary>
    internal static (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset? from, DateTimeOffset? to, TimeProvider time)
    {
        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddDays(-DefaultDays);
        if (start >= end)
        {
            throw LeaderboardRequestException.BadRequest("'from' must be before 'to'.");
        }
        return end - start > TimeSpan.FromDays(MaxDays)
            ? throw LeaderboardRequestException.BadRequest($"'from' to 'to' spans at most {MaxDays} days.")
            : (start, end);
    }

    internal static DateTimeOffset? Time(string? text, string name) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw LeaderboardRequestException.BadRequest($"'{name}' must be an ISO 8601 time (2025-03-01T00:00:00Z).");

    internal static ProblemHttpResult Problem(LeaderboardRequestException ex) =>
        ex.Status == StatusCodes.Status404NotFound ? Problems.NotFound(ex.Message) : Problems.BadRequest(ex.Message);
}
