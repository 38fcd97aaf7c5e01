using Cairn.Access;
using Cairn.Catalogs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Ingest.Sampling;

/// <summary>
/// <c>GET /v1/config/sampling?game=G</c>: a game's sampling rules and the decision function, for SDKs to fetch at start
/// (seed 003: "configurable via JSON fetched on login"). The rules hold no player data: any valid token reads them, an
/// ingest key only those of its own game.
/// </summary>
internal static class SamplingApi
{
    /// <summary>How the decision is made, in words an SDK author implements (the same as <see cref="Sampler"/>).</summary>
    public const string Function =
        "u = first 8 bytes of SHA-256(UTF-8(playerKey + eventType)) as a big-endian unsigned integer / 2^64; keep the event when u < rate";

    public static IEndpointConventionBuilder MapSamplingApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/config/sampling", GetAsync).WithName("getSamplingConfig").WithTags("Ingest")
            .WithMetadata(Hosting.OpenApiDescription.NeedsIngestKey.Instance)
            .WithSummary("A game's sampling rules (first match wins; unmatched event types are never sampled) and the deterministic decision function.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<SamplingConfig>, ProblemHttpResult>> GetAsync(HttpContext http, string? game, ApiKeys keys, CatalogRegistry catalogs)
    {
        var caller = await Authentication.CallerAsync(http, keys);
        if (caller is null)
        {
            return Problems.Unauthorized(http, "Send 'Authorization: Bearer <token>' (the game's ingest key, a read token or the admin token).");
        }
        if (string.IsNullOrWhiteSpace(game))
        {
            return Problems.BadRequest("Name the game: GET /v1/config/sampling?game=G.");
        }
        if ((caller is Caller.IngestKey key && !string.Equals(key.Game, game, StringComparison.Ordinal)) || catalogs.Current.For(game) is not { } catalog)
        {
            return Problems.NotFound($"No catalog for game '{game}' here.");
        }
        var rules = catalog.Sampling.Rules.Select(r => new SamplingConfigRule(r.EventType, r.Category,
            r.Category is null ? null : Taxonomy.Categories[r.Category], r.Rate, r.Source)).ToList();
        return TypedResults.Ok(new SamplingConfig(game, catalog.Sampling.Preset, rules, 1, Function));
    }
}

/// <summary>The answer of <c>GET /v1/config/sampling</c>.</summary>
internal sealed record SamplingConfig(string Game, string? Preset, IReadOnlyList<SamplingConfigRule> Rules, double DefaultRate, string Function);

/// <summary>One rule: an event type or a category (with its event types), its rate, and where it was declared.</summary>
internal sealed record SamplingConfigRule(string? EventType, string? Category, IReadOnlyList<string>? EventTypes, double Rate, string Source);
