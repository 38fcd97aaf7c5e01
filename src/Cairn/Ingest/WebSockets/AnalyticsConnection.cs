using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Access;

namespace Cairn.Ingest.WebSockets;

/// <summary>
/// One authenticated analytics WebSocket: reads envelopes, stores each through the same <see cref="BatchIngestor"/> as
/// <c>POST /v1/events</c>, and answers each after its commit. At most <see cref="WebSocketIngestOptions.MaxInFlightPerConnection"/>
/// envelopes are processed at once; with that many unanswered, nothing more is read (the client's sends block: TCP
/// backpressure). Answers may come out of order: each names its envelope's <c>seq</c>.
/// </summary>
internal sealed partial class AnalyticsConnection(
    WebSocket socket, string token, Caller.IngestKey key, IServiceProvider services, JsonSerializerOptions json, ILogger logger, string? country = null)
{
    private readonly WebSocketIngestOptions _options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebSocketIngestOptions>>().Value;
    private readonly IngestOptions _ingest = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestOptions>>().Value;
    private readonly SemaphoreSlim _send = new(1, 1);
    private Caller.IngestKey _key = key;

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex ClientGuidPattern();

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$")]
    private static partial Regex VersionPattern();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sockets = services.GetRequiredService<AnalyticsSockets>();
        using var slots = new SemaphoreSlim(_options.MaxInFlightPerConnection, _options.MaxInFlightPerConnection);
        await SendAsync(new ReadyMessage(_key.OrgId, _key.Game, _options.MaxMessageBytes, _ingest.MaxEventsPerBatch, _options.MaxInFlightPerConnection), cancellationToken);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                // No free slot: stop reading, so the client's socket fills and its sends wait (never an unbounded buffer here).
                await slots.WaitAsync(cancellationToken);
                var message = await ReceiveAsync(socket, _options.MaxMessageBytes, cancellationToken);
                if (message.Closed)
                {
                    slots.Release();
                    break;
                }
                if (message.Buffer is null)
                {
                    slots.Release();
                    Observe(ErrorCodes.TooLarge);
                    await SendAsync(new ErrorMessage(null, ErrorCodes.TooLarge,
                        $"The message is larger than {_options.MaxMessageBytes} bytes (Ingest:WebSocket:MaxMessageBytes); nothing of it was stored. Send smaller envelopes."),
                        cancellationToken);
                    continue;
                }
                sockets.EnvelopeIn();
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await HandleAsync(message.Buffer, message.Length, cancellationToken);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
                    {
                        // The connection went away before the answer: the client resends what was not acknowledged.
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(message.Buffer);
                        sockets.EnvelopeOut();
                        slots.Release();
                    }
                }, CancellationToken.None);
            }
        }
        finally
        {
            // Every envelope read is answered (or its connection is gone) before the socket is closed.
            for (var i = 0; i < _options.MaxInFlightPerConnection; i++)
            {
                await slots.WaitAsync(CancellationToken.None);
            }
        }
        if (socket.State is WebSocketState.CloseReceived or WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
        }
    }

    private async Task HandleAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var error = await ProcessAsync(buffer, length, cancellationToken);
        if (error is not null)
        {
            Observe(error.Code);
            await SendAsync(error, cancellationToken);
        }
    }

    /// <summary>Stores one envelope and sends its ack; returns the error to send instead when it was refused.</summary>
    private async Task<ErrorMessage?> ProcessAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (!System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, length)))
        {
            return new ErrorMessage(null, ErrorCodes.BadEnvelope, "The message is not valid UTF-8.");
        }
        JsonDocument document;
        try
        {
            // The envelope and its events array add two levels to an event's own depth limit.
            document = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = _ingest.MaxJsonDepth + 2 });
        }
        catch (JsonException ex)
        {
            return new ErrorMessage(null, ErrorCodes.BadEnvelope, "The message is not valid JSON: " + ex.Message.Split(" LineNumber:", 2)[0]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ErrorMessage(null, ErrorCodes.BadEnvelope, "A message is a JSON object: {\"type\":\"analytics\",\"seq\":N,\"clientGuid\":\"…\",\"events\":[…]}.");
            }
            long? seq = root.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) && n >= 0 ? n : null;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type != "analytics")
            {
                return new ErrorMessage(seq, ErrorCodes.BadEnvelope, type == "hello"
                    ? "This connection is authenticated already; send envelopes of type 'analytics'."
                    : "'type' must be 'analytics' (the only message a client sends after its hello).");
            }
            if (seq is null)
            {
                return new ErrorMessage(null, ErrorCodes.BadEnvelope, "'seq' must be a whole number ≥ 0, unique per clientGuid: the ack names it.");
            }
            var clientGuid = root.TryGetProperty("clientGuid", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()! : null;
            if (clientGuid is null || !ClientGuidPattern().IsMatch(clientGuid))
            {
                return new ErrorMessage(seq, ErrorCodes.BadEnvelope, "'clientGuid' must be 1 to 64 characters of letters, digits, '.', '_', ':' or '-' (one per client install).");
            }
            string? version = null;
            if (root.TryGetProperty("analyticsVersion", out var v))
            {
                version = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (version is null || !VersionPattern().IsMatch(version))
                {
                    return new ErrorMessage(seq, ErrorCodes.AnalyticsVersion, "'analyticsVersion' must be a version MAJOR.MINOR.PATCH such as \"1.2.0\".");
                }
            }
            if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                return new ErrorMessage(seq, ErrorCodes.BadEnvelope, "'events' must be an array of events.");
            }
            var count = events.GetArrayLength();
            if (count > _ingest.MaxEventsPerBatch)
            {
                return new ErrorMessage(seq, ErrorCodes.TooLarge, $"The envelope holds {count} events; the limit is {_ingest.MaxEventsPerBatch}. Split it.");
            }

            // The key may have been revoked since the connection opened (the same cache as every request).
            var caller = await services.GetRequiredService<ApiKeys>().IdentifyAsync(token, cancellationToken);
            if (caller is not Caller.IngestKey current)
            {
                await SendAsync(new ErrorMessage(seq, ErrorCodes.Unauthorized, "This ingest key is revoked; the connection closes. Reconnect with a valid key."), cancellationToken);
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "key revoked", cancellationToken);
                return null;
            }
            _key = current;
            if (!services.GetRequiredService<IngestRateLimits>().TryAcquire(_key.KeyId, out var retryAfter))
            {
                services.GetRequiredService<Observability.CairnMetrics>().IngestRefused("rate_limit");
                return new ErrorMessage(seq, ErrorCodes.RateLimited, "This ingest key sends faster than its rate limit; resend this envelope (same seq) after retryAfterMs.",
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMilliseconds)));
            }
            if (!services.GetRequiredService<OptOuts>().IsLoaded || services.GetService<Consent.ConsentCategories>() is { IsLoaded: false })
            {
                services.GetRequiredService<Observability.CairnMetrics>().IngestRefused("starting");
                return new ErrorMessage(seq, ErrorCodes.Unavailable, "The server is starting (the opted-out players are not loaded yet); resend this envelope shortly.", 2000);
            }
            using var lease = services.GetRequiredService<IngestBudget>().TryEnter();
            if (lease is null || !lease.TryReserveBytes(length) || !lease.TryReserveEvents(count))
            {
                services.GetRequiredService<Observability.CairnMetrics>().IngestRefused("requests");
                return new ErrorMessage(seq, ErrorCodes.Unavailable, "The server holds as much ingest work as it may at once; resend this envelope (same seq) after retryAfterMs.", 1000);
            }

            var incoming = new List<IncomingEvent>(count);
            var index = 0;
            foreach (var element in events.EnumerateArray())
            {
                var e = IncomingEvent.FromElement(element, System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length);
                if (e.Node is JsonObject node)
                {
                    // Clients that send no eventId are deduplicated by (clientGuid, seq of the event): a resent envelope stores nothing twice.
                    if (!node.ContainsKey("eventId"))
                    {
                        var own = node["seq"] is JsonValue value && value.TryGetValue<long>(out var eventSeq) && eventSeq >= 0
                            ? eventSeq.ToString(CultureInfo.InvariantCulture)
                            : string.Create(CultureInfo.InvariantCulture, $"{seq}.{index}");
                        node["eventId"] = $"{clientGuid}:{own}";
                    }
                    // The seq numbers the event within its client; it is not an event field.
                    node.Remove("seq");
                    if (version is not null && !node.ContainsKey("schemaVersion") && !node.ContainsKey("schema_version"))
                    {
                        node["schemaVersion"] = version;
                    }
                }
                incoming.Add(e);
                index++;
            }
            var outcome = await services.GetRequiredService<BatchIngestor>().IngestAsync(_key, incoming, country);
            if (outcome.Refusal is { } refusal)
            {
                return refusal == BatchRefusal.QueueFull
                    ? new ErrorMessage(seq, ErrorCodes.Unavailable, "The server is saturated; nothing of this envelope was stored. Resend it (same seq) after retryAfterMs.", 1000)
                    : new ErrorMessage(seq, ErrorCodes.Unavailable, "The store is unavailable; nothing of this envelope was stored. Resend it (same seq) after retryAfterMs.", 5000);
            }
            var response = outcome.Response!;
            await SendAsync(new AckMessage(seq.Value, response.Accepted, response.Duplicates, response.Rejected, response.Results) { SampledOut = response.SampledOut }, cancellationToken);
            return null;
        }
    }

    private void Observe(string code)
    {
        services.GetRequiredService<Observability.CairnMetrics>().AnalyticsDropped(code);
        Log.EnvelopeRefused(logger, _key.OrgId, _key.Game, code);
    }

    /// <summary>Sends one message (a WebSocket allows one send at a time).</summary>
    private async Task SendAsync<T>(T message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, json);
        await _send.WaitAsync(cancellationToken);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>One received message: its bytes in a pooled buffer; <c>Buffer</c> null when it passed the limit (then read to its end and dropped).</summary>
    internal readonly record struct Received(byte[]? Buffer, int Length, bool Closed);

    /// <summary>Reads one whole message, at most <paramref name="limit"/> bytes (the rest of a larger one is read and dropped).</summary>
    internal static async Task<Received> ReceiveAsync(WebSocket socket, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 16 * 1024));
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    // Past the limit: keep reading into the same space only to find the message's end.
                    tooLarge = true;
                    length = 0;
                }
                else
                {
                    var grown = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }
            }
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return new Received(null, 0, Closed: true);
            }
            length += result.Count;
            tooLarge |= length > limit;
            if (result.EndOfMessage)
            {
                if (tooLarge)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return new Received(null, 0, Closed: false);
                }
                return new Received(buffer, length, Closed: false);
            }
        }
    }
}
