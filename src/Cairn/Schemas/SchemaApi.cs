using Cairn.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Schemas;

/// <summary>
/// <c>GET /v1/schemas?game=G</c>: the games, event types and versions of the registry. Schemas hold no player data, so the
/// admin and every read token (of any organisation) may read them; an ingest key may not (as for every read).
/// </summary>
internal static class SchemaApi
{
    internal sealed record EventTypeSchemas(string EventType, string Latest, IReadOnlyList<string> Versions);

    internal sealed record GameSchemas(string Game, IReadOnlyList<EventTypeSchemas> EventTypes);

    /// <summary>A category of the taxonomy: the privacy level its events are kept under, its event types, and whether the default
    /// registry types their properties (version <see cref="TaxonomySchemas.Version"/>).</summary>
    internal sealed record TaxonomyEntry(string Category, string PrivacyLevel, IReadOnlyList<string> EventTypes, bool Typed);

    /// <summary>The default registry: for every game, the schemas of the event types its own files do not cover.</summary>
    internal sealed record DefaultSchemas(string Version, bool Enabled, IReadOnlyList<TaxonomyEntry> Categories);

    internal sealed record SchemaList(IReadOnlyList<GameSchemas> Games, DefaultSchemas Defaults);

    public static RouteHandlerBuilder MapSchemaApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schemas", List).RequireReader().WithTags("Schemas").WithName("listSchemas")
            .WithSummary("The JSON Schemas of event data in force: per game and event type, the versions (ascending) and the latest; and the default registry (the seed 001 taxonomy: categories, privacy levels, typed event types).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

    /// <summary>200 with the games (only <paramref name="game"/> when given; an empty list for a game without schemas).</summary>
    private static Results<Ok<SchemaList>, ProblemHttpResult> List(string? game, EventSchemaRegistry registry)
    {
        if (game is not null && (game.Length == 0 || game.Length > Ingest.EventValidator.MaxNameLength))
        {
            return Problems.BadRequest($"'game' must be a game name of 1 to {Ingest.EventValidator.MaxNameLength} characters");
        }
        var games = registry.Current.All
            .Where(s => game is null || s.Game == game)
            .GroupBy(s => s.Game)
            .Select(g => new GameSchemas(g.Key, g.GroupBy(s => s.EventType)
                .Select(t => new EventTypeSchemas(t.Key, t.Last().Version.ToString(), t.Select(s => s.Version.ToString()).ToList()))
                .ToList()))
            .ToList();
        var set = registry.Current;
        var defaults = new DefaultSchemas(TaxonomySchemas.Version.ToString(), set.Defaults.Count > 0, Ingest.Sampling.Taxonomy.All
            .Select(c => new TaxonomyEntry(c.Name, c.PrivacyLevel, c.EventTypes, set.Defaults.Count > 0 && c.Properties != Ingest.Sampling.TaxonomyProperties.None))
            .ToList());
        return TypedResults.Ok(new SchemaList(games, defaults));
    }
}
