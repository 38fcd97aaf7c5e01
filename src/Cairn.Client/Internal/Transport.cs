using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Cairn.Client.Internal
{
    internal enum OutcomeKind
    {
        /// <summary>Answered per event (<see cref="SendOutcome.Statuses"/>): each event is done, except those to resend.</summary>
        Answered,

        /// <summary>Nothing stored; try again (after <see cref="SendOutcome.RetryAfter"/> when the server said).</summary>
        Retry,

        /// <summary>Too large: split the batch.</summary>
        TooLarge,

        /// <summary>Refused as a whole without per-event results (a 4xx): split to find the event, keep the rest.</summary>
        Refused,

        /// <summary>The key is refused (401/403): keep everything, stop this flush.</summary>
        Unauthorized,
    }

    internal readonly struct SendOutcome
    {
        public SendOutcome(OutcomeKind kind, string[]? statuses = null, TimeSpan? retryAfter = null)
        {
            Kind = kind;
            Statuses = statuses;
            RetryAfter = retryAfter;
        }

        public OutcomeKind Kind { get; }

        /// <summary>Per event, by position: accepted, duplicate, rejected, sampled_out (null: no result, resend).</summary>
        public string[]? Statuses { get; }

        public TimeSpan? RetryAfter { get; }
    }

    internal interface ITransport : IDisposable
    {
        Task<SendOutcome> SendAsync(IReadOnlyList<QueuedEvent> batch, CancellationToken cancellation);
    }

    internal static class Results
    {
        public static string[] Read(JsonElement root, int count)
        {
            var statuses = new string[count];
            if (root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
            {
                foreach (var result in results.EnumerateArray())
                {
                    if (result.TryGetProperty("index", out var index) && index.TryGetInt32(out var i) && i >= 0 && i < count
                        && result.TryGetProperty("status", out var status))
                    {
                        statuses[i] = status.GetString() ?? "";
                    }
                }
            }
            return statuses;
        }

        public static void WriteEvents(Utf8JsonWriter writer, IReadOnlyList<QueuedEvent> batch)
        {
            writer.WriteStartArray("events");
            foreach (var e in batch)
            {
                writer.WriteRawValue(e.Json, skipInputValidation: true);
            }
            writer.WriteEndArray();
        }
    }

    /// <summary><c>POST /v1/events</c> with a gzip body <c>{"events":[…]}</c>.</summary>
    internal sealed class HttpTransport : ITransport
    {
        private readonly HttpClient _http;
        private readonly Uri _events;

        public HttpTransport(HttpClient http, Uri endpoint)
        {
            _http = http;
            _events = new Uri(endpoint, "v1/events");
        }

        public async Task<SendOutcome> SendAsync(IReadOnlyList<QueuedEvent> batch, CancellationToken cancellation)
        {
            var body = new MemoryStream();
            using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
            using (var writer = new Utf8JsonWriter(gzip))
            {
                writer.WriteStartObject();
                Results.WriteEvents(writer, batch);
                writer.WriteEndObject();
            }
            var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Headers.ContentEncoding.Add("gzip");
            using var request = new HttpRequestMessage(HttpMethod.Post, _events) { Content = content };
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellation).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                return new SendOutcome(OutcomeKind.Retry);
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                byte[] text;
                try
                {
                    text = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is IOException)
                {
                    return new SendOutcome(OutcomeKind.Retry);
                }
                if (status == 200)
                {
                    try
                    {
                        using var document = JsonDocument.Parse(text);
                        return new SendOutcome(OutcomeKind.Answered, Results.Read(document.RootElement, batch.Count));
                    }
                    catch (JsonException)
                    {
                        return new SendOutcome(OutcomeKind.Retry);
                    }
                }
                if (status == 413)
                {
                    return new SendOutcome(OutcomeKind.TooLarge);
                }
                if (status == 408 || status == 429 || status >= 500)
                {
                    return new SendOutcome(OutcomeKind.Retry, retryAfter: RetryAfter(response));
                }
                if (status == 401 || status == 403)
                {
                    return new SendOutcome(OutcomeKind.Unauthorized);
                }
                // Another 4xx: per-event results when the answer has them, else the batch is refused as a whole.
                try
                {
                    using var document = JsonDocument.Parse(text);
                    if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("results", out _))
                    {
                        return new SendOutcome(OutcomeKind.Answered, Results.Read(document.RootElement, batch.Count));
                    }
                }
                catch (JsonException)
                {
                }
                return new SendOutcome(OutcomeKind.Refused);
            }
        }

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta is { } delta)
            {
                return delta;
            }
            if (header?.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// The WebSocket <c>/v1/ws</c>: one envelope per batch, answered by an <c>ack</c> or an <c>error</c> with its seq. A lost
    /// connection is opened again at the next send, and the unacknowledged batch is sent again (the server answers what it
    /// stored already as duplicate).
    /// </summary>
    internal sealed class WebSocketTransport : ITransport
    {
        private readonly Uri _uri;
        private readonly string _key;
        private readonly string _clientGuid;
        private readonly string? _analyticsVersion;
        private readonly TimeSpan _timeout;
        private ClientWebSocket? _socket;
        private long _seq;

        public WebSocketTransport(Uri endpoint, string key, string clientGuid, string? analyticsVersion, TimeSpan timeout)
        {
            var builder = new UriBuilder(new Uri(endpoint, "v1/ws"));
            builder.Scheme = builder.Scheme == "https" ? "wss" : "ws";
            _uri = builder.Uri;
            _key = key;
            _clientGuid = clientGuid;
            _analyticsVersion = analyticsVersion;
            _timeout = timeout;
            // Envelope seqs only match answers to envelopes (every event carries its own eventId): start past any earlier run.
            _seq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        }

        public async Task<SendOutcome> SendAsync(IReadOnlyList<QueuedEvent> batch, CancellationToken cancellation)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(_timeout);
            try
            {
                var socket = await ConnectAsync(timeout.Token).ConfigureAwait(false);
                if (socket is null)
                {
                    return new SendOutcome(OutcomeKind.Unauthorized);
                }
                var seq = Interlocked.Increment(ref _seq);
                var body = new BufferWriter(4096);
                using (var writer = new Utf8JsonWriter(body))
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "analytics");
                    writer.WriteNumber("seq", seq);
                    writer.WriteString("clientGuid", _clientGuid);
                    if (_analyticsVersion is not null)
                    {
                        writer.WriteString("analyticsVersion", _analyticsVersion);
                    }
                    Results.WriteEvents(writer, batch);
                    writer.WriteEndObject();
                }
                await socket.SendAsync(body.WrittenSegment, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                while (true)
                {
                    var message = await ReceiveAsync(socket, timeout.Token).ConfigureAwait(false);
                    if (message is null)
                    {
                        Drop();
                        return new SendOutcome(OutcomeKind.Retry);
                    }
                    using var document = JsonDocument.Parse(message);
                    var root = document.RootElement;
                    var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
                    var answered = root.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : (long?)null;
                    if (type == "error" && root.TryGetProperty("code", out var code))
                    {
                        var name = code.GetString();
                        if (name == "unauthorized")
                        {
                            Drop();
                            return new SendOutcome(OutcomeKind.Unauthorized);
                        }
                        if (name == "too_large" && (answered is null || answered == seq))
                        {
                            return new SendOutcome(OutcomeKind.TooLarge);
                        }
                        if (answered != seq)
                        {
                            continue;
                        }
                        if (name == "unavailable" || name == "rate_limited")
                        {
                            var wait = root.TryGetProperty("retryAfterMs", out var ms) && ms.TryGetInt64(out var value) ? TimeSpan.FromMilliseconds(value) : (TimeSpan?)null;
                            return new SendOutcome(OutcomeKind.Retry, retryAfter: wait);
                        }
                        return new SendOutcome(OutcomeKind.Refused);
                    }
                    if (type == "ack" && answered == seq)
                    {
                        return new SendOutcome(OutcomeKind.Answered, Results.Read(root, batch.Count));
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException || ex is IOException || ex is JsonException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                Drop();
                return new SendOutcome(OutcomeKind.Retry);
            }
        }

        private async Task<ClientWebSocket?> ConnectAsync(CancellationToken cancellation)
        {
            if (_socket is { State: WebSocketState.Open })
            {
                return _socket;
            }
            Drop();
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + _key);
            try
            {
                await socket.ConnectAsync(_uri, cancellation).ConfigureAwait(false);
            }
            catch (WebSocketException) when (socket.State != WebSocketState.Open)
            {
                socket.Dispose();
                throw;
            }
            var ready = await ReceiveAsync(socket, cancellation).ConfigureAwait(false);
            if (ready is null)
            {
                socket.Dispose();
                throw new WebSocketException("The server closed the connection before it was ready.");
            }
            using (var document = JsonDocument.Parse(ready))
            {
                if (!(document.RootElement.TryGetProperty("type", out var type) && type.GetString() == "ready"))
                {
                    socket.Dispose();
                    return null;
                }
            }
            _socket = socket;
            return socket;
        }

        private static async Task<byte[]?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellation)
        {
            var buffer = new byte[8192];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellation).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return message.ToArray();
                }
            }
        }

        private void Drop()
        {
            _socket?.Dispose();
            _socket = null;
        }

        public void Dispose() => Drop();
    }
}
