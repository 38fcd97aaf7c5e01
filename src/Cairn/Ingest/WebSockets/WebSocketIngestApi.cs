using System.Net.WebSockets;
using System.Text.Json;
using Cairn.Access;
using Microsoft.Extensions.Options;

namespace Cairn.Ingest.WebSockets;

/// <summary>
/// <c>GET /v1/ws</c>: analytics over a WebSocket (seed 003). The ingest key comes in the upgrade's <c>Authorization</c>
/// header or, from a browser (which cannot set headers), in a first message <c>{"type":"hello","key":"…"}</c> sent
/// within <see cref="WebSocketIngestOptions.HelloSeconds"/>. Then envelopes of events, each answered after its commit
/// (docs/ingest.md, "WebSocket").
/// </summary>
internal static class WebSocketIngestApi
{
    public static IEndpointConventionBuilder MapWebSocketIngestApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/ws", ConnectAsync).WithName("analyticsWebSocket").WithTags("Ingest")
            .WithSummary("Upgrades to a WebSocket for analytics envelopes (ingest key in the Authorization header or a first hello message); each envelope is acknowledged after its commit.")
            .WithMetadata(Hosting.OpenApiDescription.NeedsIngestKey.Instance)
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task ConnectAsync(HttpContext http, ApiKeys keys, AnalyticsSockets sockets, IOptions<WebSocketIngestOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<AnalyticsConnection> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Problems.BadRequest("GET /v1/ws is a WebSocket endpoint: send a WebSocket upgrade (GET with 'Connection: Upgrade' and 'Upgrade: websocket'). " +
                "Without WebSockets, POST the same events to /v1/events.").ExecuteAsync(http);
            return;
        }
        // A key in the header is checked before the upgrade, like any request; a bad one never gets a socket.
        string? token = null;
        Caller.IngestKey? key = null;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var caller = await Authentication.CallerAsync(http, keys);
            if (caller is null)
            {
                await Problems.Unauthorized(http, "This ingest key is unknown to this server's store (or revoked); create one with 'cairn keys create --org O --game G'.").ExecuteAsync(http);
                return;
            }
            if (caller is not Caller.IngestKey ingest)
            {
                await Problems.Forbidden($"Analytics are sent with an ingest key; this is {Authentication.Describe(caller)}.").ExecuteAsync(http);
                return;
            }
            key = ingest;
            token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header;
        }
        if (!sockets.TryOpen())
        {
            await Problems.Unavailable(http, 5, $"This server holds {options.Value.MaxConnections} analytics WebSockets (Ingest:WebSocket:MaxConnections); retry later or send over POST /v1/events.").ExecuteAsync(http);
            return;
        }
        try
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = TimeSpan.FromSeconds(options.Value.PingSeconds),
                KeepAliveTimeout = TimeSpan.FromSeconds(options.Value.PongTimeoutSeconds),
            });
            var serializer = json.Value.SerializerOptions;
            if (key is null)
            {
                (token, key) = await HelloAsync(socket, keys, options.Value, serializer, http.RequestAborted);
                if (key is null)
                {
                    return;
                }
            }
            Log.Connected(logger, key.OrgId, key.Game);
            // The country of the client's address is looked up once for the connection (Ingest:GeoIpDatabase).
            var country = http.RequestServices.GetService<GeoIp.CountryLookup>()?.CountryOf(http.Connection.RemoteIpAddress);
            await new AnalyticsConnection(socket, token!, key, http.RequestServices, serializer, logger, country).RunAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away (or stopped answering pings): whatever it sent and was not acknowledged, it resends.
        }
        finally
        {
            sockets.Close();
        }
    }

    /// <summary>Waits for the first message, which must be <c>{"type":"hello","key":"…"}</c> with an ingest key; closes the socket otherwise.</summary>
    private static async Task<(string? Token, Caller.IngestKey? Key)> HelloAsync(
        WebSocket socket, ApiKeys keys, WebSocketIngestOptions options, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        // A hello is small: nothing larger is read before the client is known. (Cancelling a receive would abort the
        // socket before the client could read why, hence a race with a delay rather than a cancellation.)
        var receive = AnalyticsConnection.ReceiveAsync(socket, 4096, cancellationToken);
        if (await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(options.HelloSeconds), cancellationToken)) != receive)
        {
            await RefuseAsync(socket, json, ErrorCodes.Unauthorized, $"No hello within {options.HelloSeconds} s: send {{\"type\":\"hello\",\"key\":\"<ingest key>\"}} first.",
                receive, cancellationToken);
            return (null, null);
        }
        var message = await receive;
        if (message.Closed)
        {
            return (null, null);
        }
        string? type = null, token = null;
        if (message.Buffer is { } buffer)
        {
            try
            {
                using var hello = JsonDocument.Parse(buffer.AsMemory(0, message.Length));
                if (hello.RootElement.ValueKind == JsonValueKind.Object)
                {
                    type = hello.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    token = hello.RootElement.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                }
            }
            catch (JsonException)
            {
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        if (type != "hello" || token is null)
        {
            await RefuseAsync(socket, json, ErrorCodes.Unauthorized,
                "The first message must be {\"type\":\"hello\",\"key\":\"<ingest key>\"} (or send 'Authorization: Bearer <ingest key>' with the upgrade).", null, cancellationToken);
            return (null, null);
        }
        var caller = await keys.IdentifyAsync(token, cancellationToken);
        if (caller is not Caller.IngestKey key)
        {
            await RefuseAsync(socket, json, caller is null ? ErrorCodes.Unauthorized : ErrorCodes.Forbidden, caller is null
                ? "This ingest key is unknown to this server's store (or revoked); create one with 'cairn keys create --org O --game G'."
                : "Analytics are sent with an ingest key, not a read or admin token.", null, cancellationToken);
            return (null, null);
        }
        return (token, key);
    }

    /// <summary>Sends the error, closes, and waits briefly for the client's close so it reads the error before the connection ends.</summary>
    private static async Task RefuseAsync(
        WebSocket socket, JsonSerializerOptions json, string code, string message, Task<AnalyticsConnection.Received>? pending, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new ErrorMessage(null, code, message), json);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, code, cancellationToken);
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(2));
            // Whatever the client still sends is dropped; its close frame ends the handshake.
            while (true)
            {
                var received = await (pending ?? AnalyticsConnection.ReceiveAsync(socket, 4096, wait.Token)).WaitAsync(wait.Token);
                pending = null;
                if (received.Buffer is { } buffer)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
                if (received.Closed)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }
}
