using System.Globalization;
using Cairn.Access;
using Cairn.Identity;
using Cairn.Players;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Privacy;

/// <summary>Data rights: consent, erasure, export, and the quarantine an org admin may read.</summary>
internal static class PrivacyApi
{
    /// <param name="Leaderboards">False keeps the player off every leaderboard of the org (their scores are kept, never shown); null leaves it as it is.</param>
    /// <param name="Categories">Per event category of the taxonomy, granted (true) or declined (false); a category left out keeps its recorded choice.</param>
    internal sealed record ConsentRequest(string? Org, string? PlayerId, string? Consent, bool? Under13, bool? ParentalConsent, bool? Leaderboards = null,
        IReadOnlyDictionary<string, bool>? Categories = null);

    /// <param name="Categories">The recorded per-category choices (a category not listed is granted).</param>
    internal sealed record ConsentView(string PlayerKey, string Consent, bool Under13, bool ParentalConsent, bool Leaderboards,
        IReadOnlyDictionary<string, bool>? Categories = null);

    internal sealed record EraseRequest(string? Org, string? PlayerId);

    /// <summary>An erasure's answer: the rows removed (or rewritten) in all, and per table (core tables and every projection's).</summary>
    internal sealed record Erased(long Rows, IReadOnlyDictionary<string, long> Removed);

    internal sealed record RejectedList(IReadOnlyList<StoredRejected> Rejected, string? NextCursor);

    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").RequireReader().WithTags("Privacy");
        group.MapPut("/players/consent", SetConsentAsync).WithName("setConsent")
            .WithSummary("Records a player's consent (granted, opted-out, unknown) and age flags; an org admin's or the admin's call.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/players/{playerId}", (HttpContext http, string playerId, string? org, Stores store, PlayerKeyring keyring, OptOuts optOuts, ApiKeys keys,
            Audit audit, CancellationToken ct) => EraseAsync(http, new EraseRequest(org, playerId), store, keyring, optOuts, keys, audit, ct))
            .WithName("erasePlayerByPath")
            .WithSummary("Erases a player (raw id in the path, ?org=): events, progress, directory entry, memberships and keys; answers the counts.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/players/erase", EraseAsync).WithName("erasePlayer")
            .WithSummary("Erases a player named in the body (the raw id stays out of URLs and logs); answers the counts.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/rejected", ListRejectedAsync).WithName("listRejected")
            .WithSummary("The quarantine of rejected events of the caller's org (admins and org admins), a page at a time.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/export/events", (HttpContext http, string? format, string? group, string? org, string? since, string? until, bool? names,
            Stores store, Scopes scopes, Audit audit, CancellationToken ct) =>
            ExportAsync(http, "events", format, group, org, since, until, names == true, store, scopes, audit, ct))
            .WithName("exportEvents")
            .WithSummary("Streams the events in the caller's scope as CSV (default) or a JSON array of rows: eventId, eventType, timestamp, game, "
                + "source, playerKey, [playerId, displayName with ?names=true], sessionId, eventKey, privacyLevel, receivedAt, data, device, context.")
            .Produces<System.Text.Json.JsonElement[]>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/export/progress", (HttpContext http, string? format, string? group, string? org, string? since, string? until, bool? names,
            Stores store, Scopes scopes, Audit audit, CancellationToken ct) =>
            ExportAsync(http, "progress", format, group, org, since, until, names == true, store, scopes, audit, ct))
            .WithName("exportProgress")
            .WithSummary("Streams the progress rows in the caller's scope as CSV (default) or a JSON array of rows: game, playerKey, [playerId, "
                + "displayName with ?names=true], pointId, status, score, durationSeconds, count, completedAt, scoreVersion, triggerEventId, updatedAt.")
            .Produces<System.Text.Json.JsonElement[]>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/export/projections", (HttpContext http, string? format, string? group, string? org, string? since, string? until, bool? names,
            Stores store, Scopes scopes, Audit audit, CancellationToken ct) =>
            ExportAsync(http, "projections", format ?? Exporter.Json, group, org, since, until, names == true, store, scopes, audit, ct))
            .WithName("exportProjections")
            .WithSummary("Streams the rows of every projection's tables that hold the caller's players (each projection declares its own), as a JSON "
                + "array of {table, [playerId, displayName with ?names=true], row}; format=json only.")
            .Produces<System.Text.Json.JsonElement[]>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The org a request acts on: an org admin's own; the admin names one.</summary>
    private static string? OrgFor(Caller caller, string? requested) => caller is Caller.Admin ? requested : Scopes.OrgOf(caller);

    /// <summary>A non-admin naming an org other than its own asks about something outside its scope (answered 404, never acted on in its own org).</summary>
    private static bool NamesAnotherOrg(Caller caller, string? requested) => caller is not Caller.Admin && requested is not null && requested != Scopes.OrgOf(caller);

    /// <summary>Checks an org-wide change about one player: the org, the caller's right over it, the player id.</summary>
    private static ProblemHttpResult? CheckPlayerChange(Caller caller, string? requestedOrg, string? playerId, string who, out string org)
    {
        org = OrgFor(caller, requestedOrg) ?? "";
        if (!AdminApi.Identifier().IsMatch(org))
        {
            return Problems.BadRequest("'org' is required (the admin token names the org; an org admin's is its own).");
        }
        if (!Scopes.AdministersOrg(caller, org))
        {
            return Problems.Forbidden($"{who} is done by an org admin of the player's org.");
        }
        if (NamesAnotherOrg(caller, requestedOrg))
        {
            return Problems.NotFound("No such org in your scope.");
        }
        return string.IsNullOrWhiteSpace(playerId) || playerId.Length > 256
            ? Problems.BadRequest("'playerId' is required (at most 256 characters).")
            : null;
    }

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> SetConsentAsync(
        HttpContext http, ConsentRequest? request, IPlayerDirectory store, PlayerKeys playerKeys, OptOuts optOuts, Audit audit,
        Leaderboards.Storage.ILeaderboardStore leaderboards, Consent.Storage.IConsentCategoryStore categoryStore, Consent.ConsentCategories categories,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Authentication.Current(http);
        if (CheckPlayerChange(caller, request?.Org, request?.PlayerId, "Setting consent", out var org) is { } problem)
        {
            return problem;
        }
        var key = playerKeys.Compute(org, request!.PlayerId!);
        // What the request leaves out keeps its recorded value (a consent change does not reset the age flags).
        var existing = await store.GetPlayerAsync(key, cancellationToken);
        var consent = request.Consent ?? existing?.Consent ?? Consents.Unknown;
        if (consent is not (Consents.Granted or Consents.OptedOut or Consents.Unknown))
        {
            return Problems.BadRequest("'consent' must be granted, opted-out or unknown.");
        }
        if (Consent.ConsentCategories.Check(request.Categories) is { } unknownCategory)
        {
            return Problems.BadRequest(unknownCategory);
        }
        var record = new ConsentRecord(org, key, request.PlayerId!.Trim(), consent,
            request.Under13 ?? existing?.Under13 ?? false, request.ParentalConsent ?? existing?.ParentalConsent ?? false);
        await store.SetConsentAsync(record, cancellationToken);
        optOuts.Set(key, consent == Consents.OptedOut);
        if (request.Leaderboards is { } onBoards)
        {
            await leaderboards.SetOptOutAsync(org, key, !onBoards, time.GetUtcNow(), cancellationToken);
        }
        if (request.Categories is { Count: > 0 } choices)
        {
            await categoryStore.SetAsync(org, key, choices, time.GetUtcNow(), cancellationToken);
        }
        var recorded = await categoryStore.GetAsync(org, key, cancellationToken);
        categories.Set(key, recorded);
        var shown = !await leaderboards.IsOptedOutAsync(org, key, cancellationToken);
        var declined = string.Join(" ", recorded.Where(c => !c.Value).Select(c => c.Key));
        await audit.RecordAsync(caller, "consent.set", Audit.ScopeOf(caller),
            $"org {org}: {consent}, under13 {record.Under13}, parental {record.ParentalConsent}, leaderboards {shown}, declined categories [{declined}]", cancellationToken);
        return TypedResults.Ok(new ConsentView(key, consent, record.Under13, record.ParentalConsent, shown, recorded));
    }

    private static async Task<Results<Ok<Erased>, ProblemHttpResult>> EraseAsync(
        HttpContext http, EraseRequest? request, Stores store, PlayerKeyring keyring, OptOuts optOuts, ApiKeys keys, Audit audit,
        CancellationToken cancellationToken)
    {
        var caller = Authentication.Current(http);
        if (CheckPlayerChange(caller, request?.Org, request?.PlayerId, "Erasure", out var org) is { } problem)
        {
            return problem;
        }
        var playerId = request!.PlayerId!;
        var counts = await Erasure.EraseAsync(store.Privacy, keyring, org, playerId, cancellationToken, http.RequestServices.GetService<PlayerState.Cache.IPlayerStateCache>());
        foreach (var key in keyring.Candidates(org, playerId))
        {
            optOuts.Set(key, false);
            http.RequestServices.GetService<Consent.ConsentCategories>()?.Forget(key);
        }
        keys.ForgetPlayers(keyring.Candidates(org, playerId));
        // The audit record says that an erasure happened and how much it removed, never whose.
        await audit.RecordAsync(caller, "player.erase", Audit.ScopeOf(caller), $"org {org}: {counts.Total} rows removed", cancellationToken);
        return TypedResults.Ok(new Erased(counts.Total, counts.Tables));
    }

    private static async Task<Results<Ok<RejectedList>, ProblemHttpResult>> ListRejectedAsync(
        HttpContext http, string? org, string? limit, string? cursor, IEventLog store, CancellationToken cancellationToken)
    {
        var caller = Authentication.Current(http);
        var scopeOrg = OrgFor(caller, org);
        if (caller is not Caller.Admin && !(scopeOrg is not null && Scopes.AdministersOrg(caller, scopeOrg)))
        {
            return Problems.Forbidden("The quarantine is read by admins and org admins.");
        }
        if (NamesAnotherOrg(caller, org))
        {
            return Problems.NotFound("No such org in your scope.");
        }
        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
        {
            return Problems.BadRequest("'limit' must be a whole number from 1 to 1000.");
        }
        if (cursor is not null && !Cursor.TryDecode(cursor, out _, out _))
        {
            return Problems.BadRequest("'cursor' is not one this server handed out.");
        }
        var page = await store.ListRejectedAsync(scopeOrg, size, cursor, cancellationToken);
        return TypedResults.Ok(new RejectedList(page.Items, page.NextCursor));
    }

    /// <summary>
    /// Streams an export within the caller's scope: the admin anything (optionally one org or group), an org admin their org,
    /// teachers their groups (one, or all they cover, each student only in the games of those groups), a student their own data. Every export is audited.
    /// </summary>
    private static async Task<IResult> ExportAsync(
        HttpContext http, string kind, string? format, string? groupId, string? org, string? since, string? until, bool names,
        Stores store, Scopes scopes, Audit audit, CancellationToken cancellationToken)
    {
        var caller = Authentication.Current(http);
        format ??= Exporter.Csv;
        if (format is not (Exporter.Csv or Exporter.Json))
        {
            return Problems.BadRequest("'format' must be csv or json.");
        }
        if (kind == "projections" && format != Exporter.Json)
        {
            return Problems.BadRequest("The projections export is JSON only (its tables have different columns): use format=json.");
        }
        if (!PlayersApi.TryParseTime(since, "since", out var sinceTime, out var problem) || !PlayersApi.TryParseTime(until, "until", out var untilTime, out problem))
        {
            return Problems.BadRequest(problem!);
        }
        var (scope, ambiguous) = await ExportScope.ResolveAsync(caller, groupId, org, store.Groups, scopes, cancellationToken);
        if (ambiguous is not null)
        {
            return Problems.BadRequest(ambiguous);
        }
        if (scope is null)
        {
            return Problems.NotFound("Nothing to export in your scope with these filters.");
        }
        var filter = new ExportFilter(scope.OrgId, scope.PlayerKeys, scope.Game, sinceTime, untilTime);
        http.Response.ContentType = format == Exporter.Json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"cairn-{kind}.{format}\"";
        var exporter = new Exporter(store);
        var rows = kind switch
        {
            "events" => await exporter.WriteEventsAsync(http.Response.Body, format, filter, names, scope.Allows, cancellationToken),
            "progress" => await exporter.WriteProgressAsync(http.Response.Body, format, filter, names, scope.Allows, cancellationToken),
            _ => await exporter.WriteProjectionRowsAsync(http.Response.Body, filter, names, scope.Allows, cancellationToken),
        };
        await audit.RecordAsync(caller, $"export.{kind}", Audit.ScopeOf(caller),
            $"{scope.Describe}{(names ? ", with names" : "")}: {rows} rows", CancellationToken.None);
        return Results.Empty;
    }
}
