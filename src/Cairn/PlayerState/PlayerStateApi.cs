using Cairn.Access;
using Cairn.Catalogs;
using Cairn.Identity;
using Cairn.PlayerState.Cache;
using Cairn.PlayerState.Storage;
using Cairn.Progress.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.PlayerState;

/// <summary>
/// A player's state, inventory, visited waypoints and profile (achievements, completion per game), scoped like every player
/// read: a player or a game outside the caller's scope does not exist (404).
/// </summary>
internal static class PlayerStateApi
{
    internal sealed record AchievementView(string Id, string Game, string Title, string? Description, DateTimeOffset At);

    internal sealed record StateView(
        string PlayerKey, string Game, string? Location, IReadOnlyList<string> Inventory, IReadOnlyList<VisitedWaypoint> Visited,
        IReadOnlyList<QuestMark> ActiveQuests, IReadOnlyList<QuestMark> CompletedQuests, IReadOnlyDictionary<string, bool> Flags,
        IReadOnlyDictionary<string, double> Counters, DateTimeOffset? StartedAt, DateTimeOffset? LastPlayedAt, DateTimeOffset? CompletedAt,
        double PlaytimeSeconds, PlayerCompletion? Completion, IReadOnlyList<AchievementView> Achievements);

    internal sealed record InventoryView(string PlayerKey, string Game, IReadOnlyList<string> Inventory);

    internal sealed record VisitedView(string WaypointId, bool Visited, DateTimeOffset? At);

    internal sealed record GameView(
        string Game, string Title, DateTimeOffset? StartedAt, DateTimeOffset? LastPlayedAt, DateTimeOffset? CompletedAt, double PlaytimeSeconds, PlayerCompletion? Completion);

    internal sealed record ProfileView(string PlayerKey, double PlaytimeSeconds, IReadOnlyList<GameView> Games, IReadOnlyList<AchievementView> Achievements);

    private static readonly PlayerStateDocument Empty = new(null, [], [], [], [], new Dictionary<string, bool>(), new Dictionary<string, double>(), default, default, null);

    public static RouteGroupBuilder MapPlayerStateApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/players").RequireReader().WithTags("Players");
        group.MapGet("/{playerKey}/state", GetStateAsync).WithName("getPlayerState")
            .WithSummary("A player's state in a game (?game=): location, inventory, waypoints, quests, flags, counters, completion, achievements.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{playerKey}/state/inventory", GetInventoryAsync).WithName("getPlayerInventory")
            .WithSummary("A player's inventory in a game (?game=).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{playerKey}/state/visited/{waypointId}", GetVisitedAsync).WithName("getPlayerVisited")
            .WithSummary("Whether a player visited a waypoint of a game (?game=), and when first.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{playerKey}/profile", GetProfileAsync).WithName("getPlayerProfile")
            .WithSummary("A player's games (completion, last played) and achievements, across the games the caller's scope covers.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<StateView>, ProblemHttpResult>> GetStateAsync(
        HttpContext http, string playerKey, string? game, HotStateReader reader, IProgressStore progress, CatalogRegistry catalogs, Scopes scopes,
        CancellationToken cancellationToken)
    {
        if (await CheckAsync(http, playerKey, game, scopes, cancellationToken) is { } problem)
        {
            return problem;
        }
        var hot = await reader.GetAsync(playerKey, game!, achievements: true, cancellationToken);
        var row = hot.States.FirstOrDefault();
        var state = row?.State ?? Empty;
        var catalog = catalogs.Current.For(game!);
        var completion = PlayerCompletion.For(catalog, await progress.GetPlayerProgressAsync(playerKey, game, cancellationToken), row?.State);
        var achievements = hot.Achievements.Select(a => View(a, catalogs.Current)).ToList();
        return TypedResults.Ok(new StateView(playerKey, game!, state.Location, state.Inventory, state.Visited, state.ActiveQuests, state.CompletedQuests,
            state.Flags, state.Counters, row?.State.StartedAt, row?.State.LastPlayedAt, completion?.CompletedAt, state.PlaytimeSeconds, completion, achievements));
    }

    private static async Task<Results<Ok<InventoryView>, ProblemHttpResult>> GetInventoryAsync(
        HttpContext http, string playerKey, string? game, HotStateReader reader, Scopes scopes, CancellationToken cancellationToken)
    {
        if (await CheckAsync(http, playerKey, game, scopes, cancellationToken) is { } problem)
        {
            return problem;
        }
        var row = (await reader.GetAsync(playerKey, game!, achievements: false, cancellationToken)).States.FirstOrDefault();
        return TypedResults.Ok(new InventoryView(playerKey, game!, row?.State.Inventory ?? []));
    }

    private static async Task<Results<Ok<VisitedView>, ProblemHttpResult>> GetVisitedAsync(
        HttpContext http, string playerKey, string waypointId, string? game, HotStateReader reader, Scopes scopes, CancellationToken cancellationToken)
    {
        if (await CheckAsync(http, playerKey, game, scopes, cancellationToken) is { } problem)
        {
            return problem;
        }
        var row = (await reader.GetAsync(playerKey, game!, achievements: false, cancellationToken)).States.FirstOrDefault();
        var visit = row?.State.Visited.FirstOrDefault(v => v.WaypointId == waypointId);
        return TypedResults.Ok(new VisitedView(waypointId, visit is not null, visit?.At));
    }

    private static async Task<Results<Ok<ProfileView>, ProblemHttpResult>> GetProfileAsync(
        HttpContext http, string playerKey, IPlayerStateStore store, IProgressStore progress, CatalogRegistry catalogs, Scopes scopes,
        CancellationToken cancellationToken)
    {
        if (!PlayerKeys.LooksLikeKey(playerKey))
        {
            return Problems.BadRequest("That is not a playerKey (they look like p1_0123…).");
        }
        if (await scopes.ReachAsync(Authentication.Current(http), playerKey, cancellationToken) is not { } reach)
        {
            return Problems.NotFound("No such player.");
        }
        var current = catalogs.Current;
        var states = (await store.GetStatesAsync(playerKey, null, cancellationToken)).Where(s => reach.Includes(s.Game)).ToList();
        var points = (await progress.GetPlayerProgressAsync(playerKey, null, cancellationToken)).Where(r => reach.Includes(r.Game)).ToList();
        var games = states.Select(s => s.Game).Concat(points.Select(p => p.Game)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(g =>
            {
                var state = states.FirstOrDefault(s => s.Game == g)?.State;
                var rows = points.Where(p => p.Game == g).ToList();
                var times = rows.Select(r => r.StartedAt ?? r.CompletedAt).Concat(rows.Select(r => r.CompletionTime ?? r.StartedAt ?? r.CompletedAt)).ToList();
                var started = Min(state?.StartedAt, times.Count == 0 ? null : times.Min());
                var last = Max(state?.LastPlayedAt, times.Count == 0 ? null : times.Max());
                var catalog = current.For(g);
                var completion = PlayerCompletion.For(catalog, rows, state);
                return new GameView(g, catalog?.Title ?? g, started, last, completion?.CompletedAt, state?.PlaytimeSeconds ?? 0, completion);
            })
            .ToList();
        var achievements = (await store.GetAchievementsAsync(playerKey, null, cancellationToken)).Where(a => reach.Includes(a.Game)).Select(a => View(a, current)).ToList();
        return TypedResults.Ok(new ProfileView(playerKey, games.Sum(g => g.PlaytimeSeconds), games, achievements));
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>An achievement as read: its title and description from the catalog in force (its id when the catalog dropped it).</summary>
    private static AchievementView View(AchievementRow row, CatalogSet catalogs)
    {
        var definition = catalogs.For(row.Game)?.PlayerState.Achievements.FirstOrDefault(a => a.Id == row.AchievementId);
        return new AchievementView(row.AchievementId, row.Game, definition?.Title ?? row.AchievementId, definition?.Description, row.EarnedAt);
    }

    /// <summary>The checks every per-game read shares: a playerKey, a game id, and both inside the caller's scope (else 404).</summary>
    private static async Task<ProblemHttpResult?> CheckAsync(HttpContext http, string playerKey, string? game, Scopes scopes, CancellationToken cancellationToken)
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
        return null;
    }
}
