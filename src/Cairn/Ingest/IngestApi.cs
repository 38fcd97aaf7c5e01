using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cairn.Access;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cairn.Ingest;

/// <summary><c>POST /v1/events</c>: one event, an array of events, or <c>{"events": [...]}</c>.</summary>
internal static class IngestApi
{
    public static RouteGroupBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Ingest");
        group.MapPost("/", PostEventsAsync).WithName("postEvents")
            .WithSummary("Ingests one event, an array of events, or {\"events\": [...]} (JSON, optionally gzip) with an ingest key; answers per-event results.")
            .WithMetadata(Hosting.OpenApiDescription.NeedsIngestKey.Instance,
                new Hosting.OpenApiDescription.RequestBody(typeof(System.Text.Json.JsonElement), "application/json",
                    "An event, an array of events, or {\"events\": [...]}, in any dialect of docs/ingest.md; Content-Encoding: gzip is allowed."))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Results<Ok<IngestResponse>, ProblemHttpResult>> PostEventsAsync(
        HttpContext http,
        ApiKeys keys,
        BatchIngestor ingestor,
        IngestBudget budget,
        IOptions<IngestOptions> options,
        ILogger<GroupCommitWriter> logger,
        Observability.CairnMetrics metrics)
    {
        var limits = options.Value;
        var caller = await Authentication.CallerAsync(http, keys);
        if (caller is null)
        {
            if (Authentication.IsMetricsToken(http))
            {
                return Problems.Forbidden("Events are sent with an ingest key; this is the metrics token, which only reads /metrics.");
            }
            return Problems.Unauthorized(http, http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                // Most often a key created against another data directory or store than this server's.
                ? "This ingest key is unknown to this server's store (or revoked). A key works only on servers that use the store it was " +
                  "created in: create it with 'cairn keys create --org O --game G' and the same --data (or --store) as this server, or with POST /v1/admin/keys."
                : "Send 'Authorization: Bearer <ingest key>'; create a key with 'cairn keys create --org O --game G'.");
        }
        if (caller is not Caller.IngestKey key)
        {
            return Problems.Forbidden($"Events are sent with an ingest key; this is {Authentication.Describe(caller)}. Create an ingest key with 'cairn keys create --org O --game G'.");
        }
        if (!http.RequestServices.GetRequiredService<IngestRateLimits>().TryAcquire(key.KeyId, out var retryAfter))
        {
            metrics.IngestRefused("rate_limit");
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem("This ingest key sends faster than its rate limit; retry after the Retry-After delay (same event ids).",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
        }
        if (!http.RequestServices.GetRequiredService<OptOuts>().IsLoaded || http.RequestServices.GetService<Consent.ConsentCategories>() is { IsLoaded: false })
        {
            // Storing now could store events of a player who opted out: wait for the list (see /health/ready).
            metrics.IngestRefused("starting");
            return Problems.Unavailable(http, 2, "The server is starting (the opted-out players are not loaded yet); retry this batch (same event ids) shortly.");
        }
        if (!IsJson(http.Request.ContentType))
        {
            return Problems.UnsupportedMediaType("Send events as 'Content-Type: application/json'.");
        }
        var encoding = http.Request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            return Problems.UnsupportedMediaType($"Content-Encoding '{encoding}' is not supported; use gzip or none.");
        }
        if (http.Request.ContentLength > limits.MaxBodyBytes)
        {
            return Problems.TooLarge($"The body is {http.Request.ContentLength} bytes; the limit is {limits.MaxBodyBytes}. Send smaller batches.");
        }

        // Admission: the request holds its share of the in-flight budget until its answer is written.
        var lease = budget.TryEnter();
        if (lease is null)
        {
            return Saturated(http, logger, metrics, "requests");
        }
        http.Response.RegisterForDispose(lease);

        byte[] body;
        int length;
        try
        {
            (body, length) = await ReadBodyAsync(http.Request.Body, encoding == "gzip", http.Request.ContentLength, limits.MaxBodyBytes, lease, http.RequestAborted);
        }
        catch (BodyTooLargeException)
        {
            return Problems.TooLarge($"The body is larger than {limits.MaxBodyBytes} bytes (after decompression). Send smaller batches.");
        }
        catch (BudgetExceededException)
        {
            return Saturated(http, logger, metrics, "bytes");
        }
        catch (InvalidDataException)
        {
            return Problems.BadRequest("The body is not valid gzip, though Content-Encoding says gzip.");
        }

        // The JSON reader does not check the UTF-8 inside strings; bad bytes would fail later, as a 500.
        if (!System.Text.Unicode.Utf8.IsValid(body.AsSpan(0, length)))
        {
            return Problems.BadRequest("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The body is not valid JSON: {JsonProblem(ex)}");
        }

        using (document)
        {
            var root = document.RootElement;
            JsonElement list;
            if (root.ValueKind == JsonValueKind.Array)
            {
                list = root;
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("events", out var events))
            {
                if (events.ValueKind != JsonValueKind.Array)
                {
                    return Problems.BadRequest("'events' must be an array of events.");
                }
                list = events;
            }
            else if (root.ValueKind == JsonValueKind.Object)
            {
                list = default;
            }
            else
            {
                return Problems.BadRequest("The body must be an event object, an array of events, or {\"events\": [...]}.");
            }

            var count = list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 1;
            if (count > limits.MaxEventsPerBatch)
            {
                return Problems.TooLarge($"The batch holds {count} events; the limit is {limits.MaxEventsPerBatch}. Split it.");
            }
            if (!lease.TryReserveEvents(count))
            {
                return Saturated(http, logger, metrics, "events");
            }
            var incoming = new List<IncomingEvent>(count);
            if (list.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in list.EnumerateArray())
                {
                    incoming.Add(ToIncoming(element));
                }
            }
            else
            {
                incoming.Add(ToIncoming(root));
            }

            var outcome = await ingestor.IngestAsync(key, incoming, http.RequestServices.GetService<GeoIp.CountryLookup>()?.CountryOf(http.Connection.RemoteIpAddress));
            if (outcome.Refusal == BatchRefusal.QueueFull)
            {
                return Problems.Unavailable(http, 1, "The server is saturated; retry this batch (same event ids) shortly.");
            }
            if (outcome.Refusal == BatchRefusal.StoreUnavailable)
            {
                return Problems.Unavailable(http, 5, "The store is unavailable; nothing of this batch was stored. Retry it (same event ids).");
            }
            var response = outcome.Response!;
            return TypedResults.Ok(response);
        }
    }

    private static ProblemHttpResult Saturated(HttpContext http, ILogger logger, Observability.CairnMetrics metrics, string bound)
    {
        Log.BudgetFull(logger, bound);
        metrics.IngestRefused(bound);
        return Problems.Unavailable(http, 1, "The server holds as much ingest work as it may at once; retry this batch (same event ids) after the Retry-After delay.");
    }

    private static IncomingEvent ToIncoming(JsonElement element) =>
        IncomingEvent.FromElement(element, JsonMarshal.GetRawUtf8Value(element).Length);

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        var type = media.MediaType.Value ?? "";
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string JsonProblem(JsonException ex)
    {
        // The parser's own sentence, without the position suffix it appends; the position is given in words.
        var reason = ex.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0];
        return ex.LineNumber is { } line ? $"{reason} (line {line + 1}, byte {ex.BytePositionInLine + 1})" : reason;
    }

    private sealed class BodyTooLargeException : Exception;

    private sealed class BudgetExceededException : Exception;

    /// <remarks>
    /// The buffer is the lease's (pooled, given back at the end of the request), and reserved in it before it is
    /// taken: a plain body of announced length all at once, before any of it is read; otherwise (unknown length, or
    /// gzip, whose size shows only as it inflates) each growth of the buffer. Past the budget it throws
    /// <see cref="BudgetExceededException"/>, with the rest unread.
    /// </remarks>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(
        Stream body, bool gzip, long? contentLength, int limit, IngestBudget.Lease lease, CancellationToken cancellationToken)
    {
        await using var source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : null;
        var stream = (Stream?)source ?? body;
        // A plain body of announced length is read into one buffer of that size (+1 to see the end), not grown by
        // doubling: a batch of a few hundred KB would otherwise be copied four or five times. The limit still holds.
        var initial = !gzip && contentLength is { } announced && announced > 0 && announced <= limit ? (int)announced + 1 : Math.Min(16 * 1024, limit + 1);
        if (!lease.TryGrowBody(initial, 0))
        {
            throw new BudgetExceededException();
        }
        var capacity = initial;
        var length = 0;
        while (true)
        {
            if (length == capacity)
            {
                if (capacity > limit)
                {
                    throw new BodyTooLargeException();
                }
                capacity = Math.Min(capacity * 2, limit + 1);
                if (!lease.TryGrowBody(capacity, length))
                {
                    throw new BudgetExceededException();
                }
            }
            var read = await stream.ReadAsync(lease.Body.AsMemory(length, capacity - length), cancellationToken);
            if (read == 0)
            {
                return (lease.Body, length);
            }
            length += read;
            if (length > limit)
            {
                throw new BodyTooLargeException();
            }
        }
    }
}
