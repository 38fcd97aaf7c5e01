using System.Globalization;
using Cairn.Access;
using Cairn.Activity;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.Leaderboards;
using Cairn.PlaySessions.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.PlaySessions;

/// <summary>
/// A player's play sessions in a game (scoped like every player read) and a game's sessions summary (scoped like the game's
/// active players: a count of the org or of a group the caller covers). Outside the caller's scope, nothing exists (404).
/// </summary>
internal static class SessionsApi
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    internal sealed record SessionView(
        string Game, DateTimeOffset Start, DateTimeOffset End, double DurationSeconds, string EndedBy, int Events,
        IReadOnlyDictionary<string, int> Categories, string? Platform, string? Build, string? Country);

    internal sealed record PlayerSessionsView(string PlayerKey, string Game, int Count, double TotalSeconds, IReadOnlyList<SessionView> Sessions);

    internal sealed record SummaryView(
        string Game, string Org, string Scope, DateTimeOffset From, DateTimeOffset To, int Count, int Players, double MedianSeconds, double P90Seconds,
        double SessionsPerPlayer, IReadOnlyDictionary<string, SessionSummary> ByPlatform);

    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").RequireReader().WithTags("Sessions");
        group.MapGet("/players/{playerKey}/sessions", GetPlayerSessionsAsync).WithName("getPlayerSessions")
            .WithSummary("A player's play sessions in a game (?game=): start, end, duration, how each ended, events by category, platform, build, country.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/games/{game}/sessions/summary", GetSummaryAsync).WithName("getSessionsSummary")
            .WithSummary("A game's sessions started in [from, to) (?from=, ?to=, ?scope=org|group:G): count, players, median and p90 duration, per player, by platform.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<PlayerSessionsView>, ProblemHttpResult>> GetPlayerSessionsAsync(
        HttpContext http, string playerKey, string? game, IPlaySessionStore store, CatalogRegistry catalogs, Scopes scopes, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!PlayerKeys.LooksLikeKey(playerKey))
        {
            return Problems.BadRequest("That is not a playerKey (they look like p1_0123…).");
        }
        if (game is null || !AdminApi.Identifier().IsMatch(game))
        {
            return Problems.BadRequest("'game' is required and must be a game id (?game=G).");
        }
        if (await scopes.ReachAsync(Authentication.Current(http), playerKey, cancellationToken) is not { } reach || !reach.Includes(game))
        {
            return Problems.NotFound("No such player.");
        }
        var gap = (catalogs.Current.For(game)?.Sessions ?? SessionSettings.Default).Gap;
        var now = time.GetUtcNow();
        var sessions = (await store.GetPlayerSessionsAsync(playerKey, game, cancellationToken))
            .Select(r => View(r, now, gap))
            .ToList();
        return TypedResults.Ok(new PlayerSessionsView(playerKey, game, sessions.Count, sessions.Sum(s => s.DurationSeconds), sessions));
    }

    /// <summary>An open session whose last event is a gap ago or more has ended by the gap (nothing newer came since it was computed).</summary>
    private static SessionView View(PlaySessionRow row, DateTimeOffset now, TimeSpan gap)
    {
        var s = row.Session;
        var endedBy = s.EndedBy == SessionEnd.Open && now - s.End >= gap ? SessionEnd.Gap : s.EndedBy;
        return new SessionView(row.Game, s.Start, s.End, s.DurationSeconds, endedBy, s.Events, s.Categories, s.Platform, s.Build, s.Country);
    }

    private static async Task<Results<Ok<SummaryView>, ProblemHttpResult>> GetSummaryAsync(
        HttpContext http, string game, string? org, string? scope, string? from, string? to, ActivityScope scopes, IPlaySessionStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var (since, until) = Window(from, to, time.GetUtcNow());
            var resolved = await scopes.ResolveAsync(Authentication.Current(http), game, org, scope, cancellationToken);
            var summary = await SummarizeAsync(store, resolved.OrgId, game, since, until, resolved.Players, cancellationToken);
            return TypedResults.Ok(summary with { Scope = resolved.ScopeText });
        }
        catch (LeaderboardRequestException ex)
        {
            return ex.Status == StatusCodes.Status404NotFound ? Problems.NotFound(ex.Message) : Problems.BadRequest(ex.Message);
        }
    }

    /// <summary>The summary of one org's sessions of a game (of the given players only, when a list is given): what the API and the game page show.</summary>
    public static async Task<SummaryView> SummarizeAsync(
        IPlaySessionStore store, string orgId, string game, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? players, CancellationToken cancellationToken)
    {
        var rows = await store.GetSummaryRowsAsync(orgId, game, from, to, players, cancellationToken);
        var all = SessionSummary.Of(rows);
        return new SummaryView(game, orgId, "org", from, to, all.Sessions, all.Players, all.MedianSeconds, all.P90Seconds, all.SessionsPerPlayer,
            SessionSummary.ByPlatform(rows));
    }

    /// <summary>[from, to): ISO 8601 times; to defaults to now, from to 30 days before to; at most 366 days.</summary>
    internal static (DateTimeOffset From, DateTimeOffset To) Window(string? from, string? to, DateTimeOffset now)
    {
        var until = to is null ? now : Time(to, "to");
        var since = from is null ? until.AddDays(-DefaultDays) : Time(from, "from");
        if (since >= until)
        {
            throw LeaderboardRequestException.BadRequest("'from' must be before 'to'.");
        }
        return until - since > TimeSpan.FromDays(MaxDays)
            ? throw LeaderboardRequestException.BadRequest($"'from' to 'to' may span at most {MaxDays} days.")
            : (since, until);
    }

    private static DateTimeOffset Time(string text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw LeaderboardRequestException.BadRequest($"'{name}' must be an ISO 8601 time (2026-01-31T00:00:00Z).");
}
