using Cairn.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Catalogs;

/// <summary>Operator calls for catalogs: what is loaded, and a reload without restarting.</summary>
internal static class CatalogApi
{
    internal sealed record PointSummary(string Id, string? Unit, string? Title, string Version);

    internal sealed record GameSummary(string Game, string File, IReadOnlyList<Unit> Units, IReadOnlyList<PointSummary> Points);

    internal sealed record CatalogList(IReadOnlyList<GameSummary> Games);

    public static RouteGroupBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/catalogs").RequireAdmin().WithTags("Admin");
        group.MapGet("/", List).WithName("listCatalogs").WithSummary("The loaded game catalogs: their units and progress points.");
        group.MapPost("/reload", Reload).WithName("reloadCatalogs").WithSummary("Reads the catalogs directory again and says what changed or failed.");
        return group;
    }

    private static Ok<CatalogList> List(CatalogRegistry registry) =>
        TypedResults.Ok(new CatalogList(registry.Current.Games.Values.OrderBy(g => g.Game, StringComparer.Ordinal)
            .Select(g => new GameSummary(g.Game, Path.GetFileName(g.File), g.Units,
                g.Points.Select(p => new PointSummary(p.Id, p.Unit, p.Title, p.Version)).ToList()))
            .ToList()));

    /// <summary>200 with the games in force; the errors list names files that were refused (their old version stays).</summary>
    private static Ok<CatalogReload> Reload(CatalogRegistry registry) => TypedResults.Ok(registry.Reload());
}
