using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Cairn.Tests.Ingest.WebSockets;

/// <summary>A real <see cref="ClientWebSocket"/> on a server's <c>/v1/ws</c>, with JSON messages.</summary>
internal sealed class AnalyticsSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private AnalyticsSocket(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Connects (with the key in the Authorization header when given); throws when the upgrade is refused.</summary>
    public static async Task<AnalyticsSocket> ConnectAsync(Uri server, string? key, IReadOnlyDictionary<string, string>? headers = null)
    {
        var socket = new ClientWebSocket();
        if (key is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(Url(server), timeout.Token);
        return new AnalyticsSocket(socket);
    }

    /// <summary>The HTTP status of an upgrade attempt: 101 when it became a WebSocket, else the refusal's status.</summary>
    public static async Task<int> UpgradeStatusAsync(Uri server, string? key)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (key is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(Url(server), timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            return (int)socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }

    private static Uri Url(Uri server) => new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "/v1/ws" }.Uri;

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next message, or null when the server closed the connection.</summary>
    public async Task<JsonDocument?> ReceiveAsync(double seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray());
            }
        }
    }

    /// <summary>The next message, which must be of the type.</summary>
    public async Task<JsonElement> ExpectAsync(string type)
    {
        using var message = await ReceiveAsync() ?? throw new InvalidOperationException($"the server closed the socket; expected a {type}");
        var root = message.RootElement.Clone();
        Assert.True(root.GetProperty("type").GetString() == type, $"expected a {type}, got {root.GetRawText()}");
        return root;
    }

    /// <summary>Acks (or errors) for every seq given, in whatever order they come.</summary>
    public async Task<Dictionary<long, JsonElement>> AnswersAsync(IReadOnlyCollection<long> seqs)
    {
        var answers = new Dictionary<long, JsonElement>();
        while (answers.Count < seqs.Count)
        {
            using var message = await ReceiveAsync() ?? throw new InvalidOperationException($"closed after {answers.Count} of {seqs.Count} answers");
            var root = message.RootElement.Clone();
            answers[root.GetProperty("seq").GetInt64()] = root;
        }
        return answers;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
    }
}
