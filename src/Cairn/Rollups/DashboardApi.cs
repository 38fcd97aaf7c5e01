using Cairn.Access;
using Cairn.Dashboard;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Rollups;

/// <summary>The class dashboard: rollups, at-risk students with their flags, recent activity, levels per standard.</summary>
internal static class DashboardApi
{
    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/groups/{groupId}").RequireReader().WithTags("Rollups")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/dashboard", GetDashboardAsync).WithName("getGroupDashboard")
            .WithSummary("The class dashboard: completion rate, average score, at-risk students with their flags, recent activity, and per standard the level distribution.");
        return group;
    }

    private static async Task<Results<Ok<GroupDashboard>, ProblemHttpResult>> GetDashboardAsync(
        HttpContext http, string groupId, string? org, Scopes scopes, DashboardReader reader, CancellationToken cancellationToken)
    {
        var (group, problem) = await MatrixApi.ResolveGroupAsync(http, groupId, org, scopes, cancellationToken);
        if (group is null)
        {
            return problem!;
        }
        return TypedResults.Ok(await reader.ReadAsync(group, cancellationToken));
    }
}
