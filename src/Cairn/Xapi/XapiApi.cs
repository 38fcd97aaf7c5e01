using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Access;
using Cairn.Identity;
using Cairn.Ingest;
using Cairn.Storage;

namespace Cairn.Xapi;

/// <summary>
/// The xAPI LRS surface (docs/xapi.md): <c>/xapi/about</c> and <c>/xapi/statements</c>. Statements are events of source
/// <c>xapi</c>: they are stored by the ingest pipeline (durably, before the answer) and read back from the event log.
/// Every call but <c>about</c> authenticates an LRS credential (HTTP Basic) before it reads the body.
/// </summary>
internal static class XapiApi
{
    public const string VersionHeader = "X-Experience-API-Version";
    public const string ConsistentThroughHeader = "X-Experience-API-Consistent-Through";
    public const int MaxLimit = 500;
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static RouteGroupBuilder MapXapiApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/xapi").WithTags("xAPI").ExcludeFromDescription();
        group.MapMethods("/about", ["GET", "HEAD"], About);
        group.MapMethods("/statements", ["GET", "HEAD"], GetStatementsAsync);
        group.MapPost("/statements", PostStatementsAsync);
        group.MapPut("/statements", PutStatementAsync);
        // The resources not built yet: the version header is still checked first (400), then 404.
        group.MapMethods("/{**rest}", ["GET", "HEAD", "PUT", "POST", "DELETE"], NotBuilt);
        return group;
    }

    private static IResult About(HttpContext http)
    {
        http.Response.Headers[VersionHeader] = XapiVersion.Latest;
        return Results.Json(new { version = XapiVersion.Supported });
    }

    private static IResult NotBuilt(HttpContext http)
    {
        var version = XapiVersion.Negotiate(http.Request.Headers[VersionHeader].ToString());
        http.Response.Headers[VersionHeader] = version ?? XapiVersion.Latest;
        return version is null
            ? Error(StatusCodes.Status400BadRequest, $"Send the header '{VersionHeader}' with one of {string.Join(", ", XapiVersion.Supported)}.")
            : Error(StatusCodes.Status404NotFound, $"{http.Request.Path} is not built yet (docs/xapi.md, Limits).");
    }

    /// <summary>Checks the version header and the credential; returns the caller, or writes the refusal.</summary>
    private static async Task<(Caller.Lrs? Caller, IResult? Refusal)> AdmitAsync(HttpContext http, ApiKeys keys)
    {
        var version = XapiVersion.Negotiate(http.Request.Headers[VersionHeader].ToString());
        if (version is null)
        {
            http.Response.Headers[VersionHeader] = XapiVersion.Latest;
            return (null, Error(StatusCodes.Status400BadRequest,
                $"Send the header '{VersionHeader}' with one of {string.Join(", ", XapiVersion.Supported)} (got '{http.Request.Headers[VersionHeader]}')."));
        }
        http.Response.Headers[VersionHeader] = version;
        var caller = await Authentication.CallerAsync(http, keys);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"cairn-xapi\"";
            return (null, Error(StatusCodes.Status401Unauthorized,
                "Send HTTP Basic credentials of an LRS credential: 'cairn keys create --org ORG --game GAME --role lrs' prints user:password."));
        }
        if (caller is not Caller.Lrs lrs)
        {
            return (null, Error(StatusCodes.Status403Forbidden, $"The xAPI endpoints take an LRS credential (HTTP Basic); this is {Authentication.Describe(caller)}."));
        }
        return (lrs, null);
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static async Task<IResult> PutStatementAsync(HttpContext http, ApiKeys keys, BatchIngestor ingestor, IEventLog events, CancellationToken cancellationToken)
    {
        var (lrs, refusal) = await AdmitAsync(http, keys);
        if (lrs is null)
        {
            return refusal!;
        }
        var idText = http.Request.Query["statementId"].ToString();
        if (!Guid.TryParse(idText, out var id))
        {
            return Error(StatusCodes.Status400BadRequest, "PUT /xapi/statements needs the parameter statementId (a UUID).");
        }
        var (node, problem) = await ReadJsonAsync(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (node is JsonArray)
        {
            return Error(StatusCodes.Status400BadRequest, "PUT takes one statement; POST takes an array.");
        }
        var (status, message, _) = await StoreAsync(http, lrs, ingestor, events, [node], id.ToString("D"), cancellationToken);
        return status == StatusCodes.Status200OK ? Results.NoContent() : Error(status, message!);
    }

    private static async Task<IResult> PostStatementsAsync(HttpContext http, ApiKeys keys, BatchIngestor ingestor, IEventLog events, CancellationToken cancellationToken)
    {
        var (lrs, refusal) = await AdmitAsync(http, keys);
        if (lrs is null)
        {
            return refusal!;
        }
        var (node, problem) = await ReadJsonAsync(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var statements = node is JsonArray array ? array.ToList() : [node];
        if (statements.Count == 0)
        {
            return Results.Json(Array.Empty<string>());
        }
        if (statements.Count > MaxLimit)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"A POST holds at most {MaxLimit} statements; it has {statements.Count}.");
        }
        var (status, message, ids) = await StoreAsync(http, lrs, ingestor, events, statements, null, cancellationToken);
        return status == StatusCodes.Status200OK ? Results.Json(ids) : Error(status, message!);
    }

    private static async Task<(JsonNode? Node, IResult? Problem)> ReadJsonAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var type = http.Request.ContentType ?? "";
        if (!type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Error(StatusCodes.Status400BadRequest, type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
                ? "Attachments (multipart/mixed) are not supported yet; send statements as application/json (docs/xapi.md)."
                : "Send statements as 'Content-Type: application/json'."));
        }
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes."));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes."));
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            var node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            return node is JsonObject or JsonArray ? (node, null) : (null, Error(StatusCodes.Status400BadRequest, "The body must be a statement or an array of statements."));
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>
    /// Validates every statement first (a batch is stored whole or not at all), then stores them as events. A statement id
    /// already stored with other content is a 409; with the same content it is accepted again (idempotent retries).
    /// </summary>
    private static async Task<(int Status, string? Message, List<string> Ids)> StoreAsync(
        HttpContext http, Caller.Lrs lrs, BatchIngestor ingestor, IEventLog events, IReadOnlyList<JsonNode?> statements, string? idFromQuery,
        CancellationToken cancellationToken)
    {
        var stored = DateTimeOffset.UtcNow;
        var mapped = new List<JsonObject>(statements.Count);
        var ids = new List<string>(statements.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < statements.Count; i++)
        {
            var (e, error) = StatementMapper.ToEvent(statements[i], idFromQuery, stored, lrs.KeyId);
            if (e is null)
            {
                return (StatusCodes.Status400BadRequest, statements.Count == 1 ? error : $"Statement {i}: {error}", ids);
            }
            var id = e["eventId"]!.GetValue<string>();
            if (!seen.Add(id))
            {
                return (StatusCodes.Status400BadRequest, $"Statement {i}: the id {id} appears twice in the batch.", ids);
            }
            mapped.Add(e);
            ids.Add(id);
        }
        // A voiding statement may not void a voiding statement, and a statement id already stored must keep its content.
        for (var i = 0; i < mapped.Count; i++)
        {
            var e = mapped[i];
            var id = e["eventId"]!.GetValue<string>();
            var existing = await events.QuerySourceAsync(new SourceQuery(lrs.OrgId, StatementMapper.Source, 1, EventId: id), cancellationToken);
            if (existing is [var old] && !SameStatement(old.Data, e, statements[i]?["timestamp"] is not null))
            {
                return (StatusCodes.Status409Conflict, $"A different statement with id {id} is already stored.", ids);
            }
            if (e["data"]?["voids"] is JsonValue voids)
            {
                var target = await events.QuerySourceAsync(new SourceQuery(lrs.OrgId, StatementMapper.Source, 1, EventId: voids.GetValue<string>()), cancellationToken);
                if (target is [var t] && t.Data.TryGetProperty("verb", out var v) && v.GetString() == StatementMapper.VoidedVerb)
                {
                    return (StatusCodes.Status400BadRequest, "A voiding statement cannot void another voiding statement.", ids);
                }
            }
        }
        var incoming = mapped.Select(e => new IncomingEvent(e, 0, null)).ToList();
        var outcome = await ingestor.IngestAsync(new Caller.IngestKey(lrs.KeyId, lrs.OrgId, lrs.Game), incoming);
        if (outcome.Refusal == BatchRefusal.QueueFull)
        {
            http.Response.Headers.RetryAfter = "1";
            return (StatusCodes.Status503ServiceUnavailable, "The server is saturated; retry these statements shortly.", ids);
        }
        if (outcome.Refusal == BatchRefusal.StoreUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
            return (StatusCodes.Status503ServiceUnavailable, "The store is unavailable; nothing was stored. Retry these statements.", ids);
        }
        if (outcome.Response!.Results.FirstOrDefault(r => r.Status == EventResult.Rejected) is { } rejected)
        {
            var why = string.Join("; ", rejected.Errors?.Select(e => e.Message) ?? []);
            return (StatusCodes.Status400BadRequest, $"Statement {rejected.Index} was refused: {why}", ids);
        }
        return (StatusCodes.Status200OK, null, ids);
    }

    private static bool SameStatement(JsonElement storedData, JsonObject incoming, bool timestampGiven)
    {
        // The LRS sets stored, authority and (when missing) timestamp and version: compare what the client sent.
        JsonObject Core(JsonNode? statement)
        {
            var copy = (statement?.DeepClone() as JsonObject) ?? [];
            copy.Remove("stored");
            copy.Remove("authority");
            copy.Remove("version");
            if (!timestampGiven)
            {
                copy.Remove("timestamp");
            }
            return copy;
        }
        var old = Core(JsonNode.Parse(storedData.GetProperty("statement").GetRawText()));
        var now = Core(incoming["data"]?["statement"]);
        return JsonNode.DeepEquals(old, now)
            && storedData.GetProperty("verb").GetString() == incoming["data"]?["verb"]?.GetValue<string>();
    }

    private static async Task<IResult> GetStatementsAsync(
        HttpContext http, ApiKeys keys, IEventLog events, IPlayerDirectory directory, PlayerKeyring keyring, CancellationToken cancellationToken)
    {
        var (lrs, refusal) = await AdmitAsync(http, keys);
        if (lrs is null)
        {
            return refusal!;
        }
        var query = http.Request.Query;
        http.Response.Headers[ConsistentThroughHeader] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var statementId = query["statementId"].ToString();
        var voidedId = query["voidedStatementId"].ToString();
        if (statementId.Length > 0 || voidedId.Length > 0)
        {
            if (statementId.Length > 0 && voidedId.Length > 0)
            {
                return Error(StatusCodes.Status400BadRequest, "Give statementId or voidedStatementId, not both.");
            }
            foreach (var name in query.Keys)
            {
                if (name is not ("statementId" or "voidedStatementId" or "format" or "attachments"))
                {
                    return Error(StatusCodes.Status400BadRequest, $"With statementId or voidedStatementId only format and attachments may be given, not '{name}'.");
                }
            }
            var wanted = statementId.Length > 0 ? statementId : voidedId;
            if (!Guid.TryParse(wanted, out var id))
            {
                return Error(StatusCodes.Status400BadRequest, "statementId and voidedStatementId take a UUID.");
            }
            var found = await events.QuerySourceAsync(new SourceQuery(lrs.OrgId, StatementMapper.Source, 1, EventId: id.ToString("D")), cancellationToken);
            if (found is not [var e])
            {
                return Error(StatusCodes.Status404NotFound, $"No statement {wanted}.");
            }
            var voided = await IsVoidedAsync(events, lrs.OrgId, e.EventId, cancellationToken);
            if (voided != (voidedId.Length > 0))
            {
                return Error(StatusCodes.Status404NotFound, voided
                    ? $"Statement {wanted} is voided: read it with voidedStatementId."
                    : $"Statement {wanted} is not voided: read it with statementId.");
            }
            http.Response.Headers.LastModified = e.ReceivedAt.ToString("R", CultureInfo.InvariantCulture);
            return Results.Json(await RenderAsync(e, lrs, directory, cancellationToken), Compact);
        }

        var parsed = StatementFilter.Parse(query, lrs.OrgId, keyring);
        if (parsed.Error is not null)
        {
            return Error(StatusCodes.Status400BadRequest, parsed.Error);
        }
        var filter = parsed.Filter!;
        var voidedIds = await VoidedIdsAsync(events, lrs.OrgId, cancellationToken);
        var results = new JsonArray();
        var cursor = filter.AfterSeq;
        long? lastIncluded = null;
        var more = false;
        // Read pages of the event log and keep the statements that pass the filters the store cannot apply.
        while (!more)
        {
            var page = await events.QuerySourceAsync(new SourceQuery(lrs.OrgId, StatementMapper.Source, 200,
                PlayerKey: filter.PlayerKey, EventTypes: filter.EventTypes, StoredSince: filter.Since, StoredUntil: filter.Until,
                AfterSeq: cursor, Ascending: filter.Ascending), cancellationToken);
            foreach (var e in page)
            {
                if (results.Count == filter.Limit)
                {
                    more = true;
                    break;
                }
                cursor = e.Seq;
                if (voidedIds.Contains(e.EventId) || !filter.Matches(e))
                {
                    continue;
                }
                results.Add(await RenderAsync(e, lrs, directory, cancellationToken));
                lastIncluded = e.Seq;
            }
            if (page.Count < 200)
            {
                break;
            }
        }
        var body = new JsonObject
        {
            ["statements"] = results,
            ["more"] = more && lastIncluded is { } after ? filter.MoreLink(http.Request, after) : "",
        };
        return Results.Json(body, Compact);
    }

    private static async Task<bool> IsVoidedAsync(IEventLog events, string orgId, string eventId, CancellationToken cancellationToken) =>
        (await VoidedIdsAsync(events, orgId, cancellationToken)).Contains(eventId);

    /// <summary>The ids of voided statements of the org (the targets of its voiding statements).</summary>
    private static async Task<HashSet<string>> VoidedIdsAsync(IEventLog events, string orgId, CancellationToken cancellationToken)
    {
        var voiding = await events.QuerySourceAsync(new SourceQuery(orgId, StatementMapper.Source, 10_000,
            EventTypes: [StatementMapper.EventTypeOf(StatementMapper.VoidedVerb)]), cancellationToken);
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in voiding)
        {
            if (e.Data.TryGetProperty("verb", out var verb) && verb.GetString() == StatementMapper.VoidedVerb
                && e.Data.TryGetProperty("voids", out var target) && target.GetString() is { } id)
            {
                ids.Add(id);
            }
        }
        return ids;
    }

    /// <summary>
    /// The statement as the LRS returns it. An LRS credential of the statement's org (the only callers here) re-identifies
    /// the actor from the directory; a player no longer in it (erased) is shown by playerKey.
    /// </summary>
    private static async Task<JsonObject> RenderAsync(StoredEvent e, Caller.Lrs lrs, IPlayerDirectory directory, CancellationToken cancellationToken)
    {
        var statement = JsonNode.Parse(e.Data.GetProperty("statement").GetRawText())!.AsObject();
        var actorType = e.Data.TryGetProperty("actorType", out var t) ? t.GetString() ?? "Agent" : "Agent";
        JsonObject actor;
        if (e.PlayerKey is { } key && await directory.GetPlayerAsync(key, cancellationToken) is { } player && player.OrgId == lrs.OrgId)
        {
            actor = StatementMapper.ActorOf(player.RawPlayerId, actorType);
        }
        else
        {
            actor = StatementMapper.PseudonymOf(e.PlayerKey ?? "unknown", actorType);
        }
        var ordered = new JsonObject { ["id"] = statement["id"]?.DeepClone(), ["actor"] = actor };
        foreach (var (name, value) in statement)
        {
            if (name != "id")
            {
                ordered[name] = value?.DeepClone();
            }
        }
        return ordered;
    }
}
