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
        var group = app.MapGroup("/v1/admin").RequireAdmin().WithTags("Admin");
        group.MapPost("/keys", CreateKeyAsync).WithName("createKey")
            .WithSummary("Creates an ingest key (org and game) or, with a role, a read token; the secret is shown only here.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/keys", ListKeysAsync).WithName("listKeys").WithSummary("Lists the keys and read tokens (never their secrets), of one org with ?org=.");
        group.MapDelete("/keys/{id}", RevokeKeyAsync).WithName("revokeKey").WithSummary("Revokes a key or read token.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/audit", async (IPrivacyStore store, CancellationToken ct) => TypedResults.Ok(new AuditPage(await store.ListAuditAsync(500, ct))))
            .WithName("listAudit").WithSummary("The newest 500 entries of the audit log.");
        group.MapGet("/rejected", ListRejectedAsync).WithName("listRejectedAsAdmin")
            .WithSummary("The quarantine of rejected events, of every org (or ?org=), a page at a time.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/players/lookup", LookupPlayerFromQueryAsync).WithName("lookupPlayerFromQuery")
            .WithSummary("The playerKey of a raw player id (?org=&playerId=), and whether the player is known.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/players/lookup", LookupPlayerAsync).WithName("lookupPlayer")
            .WithSummary("The playerKey of a raw player id sent in the body (it stays out of URLs and logs), and whether the player is known.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/stats", (Observability.CairnMetrics counters, Hosting.BackgroundHealth health) =>
            TypedResults.Ok(new Stats(counters.OptedOutByOrg(), counters.SampledOutByEventType(), health.Snapshot(), counters.DeclinedCategoryByOrg())))
            .WithName("getStats").WithSummary("Opted-out and sampled-out events since start-up, and the health of the background components.");
        return group;
    }

    /// <summary>Org and game ids: short, and safe to put in URLs, file names and logs.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex Identifier();

    internal sealed record CreateKeyRequest(string? Org, string? Game, string? Role = null, IReadOnlyList<string>? Teachers = null, string? PlayerId = null);

    internal sealed record CreatedKey(string Id, string Key, string Org, string? Game, string? Role, DateTimeOffset CreatedAt);

    internal sealed record KeyView(string Id, string Kind, string Org, string? Game, string? Role, IReadOnlyList<string>? Teachers, string? PlayerKey,
        DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    internal sealed record KeyList(IReadOnlyList<KeyView> Keys);

    internal sealed record AuditPage(IReadOnlyList<AuditEntry> Entries);

    /// <param name="OptedOutEventsByOrg">Events of opted-out players answered as accepted and not stored, since this process started.</param>
    /// <param name="DeclinedCategoryEventsByOrg">Events of a category the player declined, answered as accepted and not stored, since this process started.</param>
    internal sealed record Stats(
        IReadOnlyDictionary<string, long> OptedOutEventsByOrg, IReadOnlyList<Observability.SampledOutCount> SampledOutEvents, IReadOnlyList<Hosting.ComponentHealth> Components,
        IReadOnlyDictionary<string, long>? DeclinedCategoryEventsByOrg = null);

    internal sealed record LookupRequest(string? Org, string? PlayerId);

    /// <param name="StoredAs">The key the player's data is stored under now (an older version's during a pepper rotation).</param>
    internal sealed record LookupResponse(string Org, string PlayerKey, bool Known, string? StoredAs = null);

    /// <summary>Without a role: an ingest key for an org and game. With one: a read token (see <see cref="KeyRequests"/>).</summary>
    private static async Task<Results<Created<CreatedKey>, ProblemHttpResult>> CreateKeyAsync(
        CreateKeyRequest? request, ApiKeys keys, PlayerKeys playerKeys, CancellationToken cancellationToken)
    {
        if (request?.Org is not { } org || !Identifier().IsMatch(org))
        {
            return Problems.BadRequest("'org' is required: letters, digits, '_', '.', '-', up to 64 characters.");
        }
        if (request.Role is null)
        {
            if (request.Game is not { } game || !Identifier().IsMatch(game))
            {
                return Problems.BadRequest("'game' is required for an ingest key: letters, digits, '_', '.', '-', up to 64 characters.");
            }
            var (record, secret) = await keys.CreateIngestKeyAsync(org, game, cancellationToken);
            return TypedResults.Created($"/v1/admin/keys/{record.Id}", new CreatedKey(record.Id, secret, org, game, null, record.CreatedAt));
        }
        if (KeyRequests.Check(request.Role, request.Teachers, request.PlayerId) is { } problem)
        {
            return Problems.BadRequest(problem);
        }
        var playerKey = request.PlayerId is { } raw ? playerKeys.Compute(org, raw) : null;
        var (token, tokenSecret) = await keys.CreateReadTokenAsync(request.Role, org, request.Teachers, playerKey, cancellationToken);
        return TypedResults.Created($"/v1/admin/keys/{token.Id}", new CreatedKey(token.Id, tokenSecret, org, null, request.Role, token.CreatedAt));
    }

    private static async Task<Ok<KeyList>> ListKeysAsync(string? org, IAccessStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new KeyList((await store.ListApiKeysAsync(org, cancellationToken)).Select(k => new KeyView(
            k.Id, k.IsIngestKey ? "ingest" : "read", k.OrgId, k.IsIngestKey ? k.Game : null, k.Role, k.Teachers, k.PlayerKey, k.CreatedAt, k.RevokedAt)).ToList()));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string id, ApiKeys keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"No live key '{id}'.");

    private static async Task<Results<Ok<RejectedPage>, ProblemHttpResult>> ListRejectedAsync(
        string? org, string? limit, string? cursor, IEventLog store, CancellationToken cancellationToken)
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
        string? org, string? playerId, PlayerKeyring keyring, IPlayerDirectory store, CancellationToken cancellationToken) =>
        LookupPlayerAsync(new LookupRequest(org, playerId), keyring, store, cancellationToken);

    private static async Task<Results<Ok<LookupResponse>, ProblemHttpResult>> LookupPlayerAsync(
        LookupRequest? request, PlayerKeyring keyring, IPlayerDirectory store, CancellationToken cancellationToken)
    {
        if (request?.Org is not { } org || !Identifier().IsMatch(org))
        {
            return Problems.BadRequest("'org' is required.");
        }
        if (string.IsNullOrWhiteSpace(request.PlayerId) || request.PlayerId.Length > 256)
        {
            return Problems.BadRequest("'playerId' is required (at most 256 characters).");
        }
        foreach (var candidate in keyring.Candidates(org, request.PlayerId))
        {
            if (await store.PlayerExistsAsync(candidate, cancellationToken))
            {
                return TypedResults.Ok(new LookupResponse(org, keyring.Current.Compute(org, request.PlayerId), true, candidate));
            }
        }
        return TypedResults.Ok(new LookupResponse(org, keyring.Current.Compute(org, request.PlayerId), false));
    }
}
