using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Identity;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Access;

/// <summary>Operator calls: ingest keys, the rejected-events quarantine, and finding a player's key.</summary>
internal static partial class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").AddEndpointFilter(Authentication.RequireAdminAsync);
        group.MapPost("/keys", CreateKeyAsync);
        group.MapGet("/rejected", ListRejectedAsync);
        group.MapGet("/players/lookup", LookupPlayerFromQueryAsync);
        group.MapPost("/players/lookup", LookupPlayerAsync);
        return group;
    }

    /// <summary>Org and game ids: short, and safe to put in URLs, file names and logs.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex Identifier();

    internal sealed record CreateKeyRequest(string? Org, string? Game);

    internal sealed record CreatedKey(string Id, string Key, string Org, string Game, DateTimeOffset CreatedAt);

    internal sealed record LookupRequest(string? Org, string? PlayerId);

    internal sealed record LookupResponse(string Org, string PlayerKey, bool Known);

    private static async Task<Results<Created<CreatedKey>, ProblemHttpResult>> CreateKeyAsync(
        CreateKeyRequest? request, ApiKeys keys, CancellationToken cancellationToken)
    {
        if (request?.Org is not { } org || !Identifier().IsMatch(org))
        {
            return Problems.BadRequest("'org' is required: letters, digits, '_', '.', '-', up to 64 characters.");
        }
        if (request.Game is not { } game || !Identifier().IsMatch(game))
        {
            return Problems.BadRequest("'game' is required: letters, digits, '_', '.', '-', up to 64 characters.");
        }
        var (record, secret) = await keys.CreateIngestKeyAsync(org, game, cancellationToken);
        return TypedResults.Created($"/v1/admin/keys/{record.Id}", new CreatedKey(record.Id, secret, org, game, record.CreatedAt));
    }

    private static async Task<Results<Ok<RejectedPage>, ProblemHttpResult>> ListRejectedAsync(
        string? org, string? limit, string? cursor, IEventStore store, CancellationToken cancellationToken)
    {
        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
        {
            return Problems.BadRequest("'limit' must be a whole number from 1 to 1000.");
        }
        if (cursor is not null && !Cursor.TryDecode(cursor, out _, out _))
        {
            return Problems.BadRequest("'cursor' is not one this server handed out.");
        }
        var page = await store.ListRejectedAsync(org, size, cursor, cancellationToken);
        return TypedResults.Ok(new RejectedPage(page.Items, page.NextCursor));
    }

    internal sealed record RejectedPage(IReadOnlyList<StoredRejected> Rejected, string? NextCursor);

    private static Task<Results<Ok<LookupResponse>, ProblemHttpResult>> LookupPlayerFromQueryAsync(
        string? org, string? playerId, PlayerKeys playerKeys, IEventStore store, CancellationToken cancellationToken) =>
        LookupPlayerAsync(new LookupRequest(org, playerId), playerKeys, store, cancellationToken);

    private static async Task<Results<Ok<LookupResponse>, ProblemHttpResult>> LookupPlayerAsync(
        LookupRequest? request, PlayerKeys playerKeys, IEventStore store, CancellationToken cancellationToken)
    {
        if (request?.Org is not { } org || !Identifier().IsMatch(org))
        {
            return Problems.BadRequest("'org' is required.");
        }
        if (string.IsNullOrWhiteSpace(request.PlayerId) || request.PlayerId.Length > 256)
        {
            return Problems.BadRequest("'playerId' is required (at most 256 characters).");
        }
        var playerKey = playerKeys.Compute(org, request.PlayerId);
        return TypedResults.Ok(new LookupResponse(org, playerKey, await store.PlayerExistsAsync(playerKey, cancellationToken)));
    }
}
