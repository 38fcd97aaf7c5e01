using System.Net;
using System.Net.Sockets;

namespace Cairn.Client.Tests.Support;

/// <summary>
/// A small real HTTP server (HttpListener) in front of a <see cref="LoopbackServer"/>: it answers the requests the test
/// says with a status of its choice (429/503 storms, with or without Retry-After) and forwards the others, bodies and
/// headers unchanged, to the real server.
/// </summary>
internal sealed class StormProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
    private readonly Uri _target;
    private readonly Func<int, (int Status, string? RetryAfter)?> _storm;
    private readonly Task _loop;
    private int _requests;

    /// <param name="storm">Given the number of the events request (1, 2, …), the answer to make up, or null to forward it.</param>
    public StormProxy(Uri target, Func<int, (int Status, string? RetryAfter)?> storm)
    {
        _target = target;
        _storm = storm;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>POST /v1/events requests received so far (made up or forwarded).</summary>
    public int EventRequests => Volatile.Read(ref _requests);

    public List<(int Number, int Status)> Answers { get; } = new();

    /// <summary>The bodies of the forwarded answers to POST /v1/events.</summary>
    public List<string> EventAnswerBodies { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            var isEvents = context.Request.Url!.AbsolutePath == "/v1/events";
            var number = isEvents ? Interlocked.Increment(ref _requests) : 0;
            if (isEvents && _storm(number) is { } madeUp)
            {
                lock (Answers)
                {
                    Answers.Add((number, madeUp.Status));
                }
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                context.Response.StatusCode = madeUp.Status;
                if (madeUp.RetryAfter is not null)
                {
                    context.Response.Headers["Retry-After"] = madeUp.RetryAfter;
                }
                context.Response.Close();
                return;
            }
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.Url.PathAndQuery));
            var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (body.Length > 0 || context.Request.HttpMethod == "POST")
            {
                request.Content = new ByteArrayContent(body.ToArray());
                if (context.Request.ContentType is { } type)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
                if (context.Request.Headers["Content-Encoding"] is { } encoding)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
                }
            }
            if (context.Request.Headers["Authorization"] is { } authorization)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
            using var response = await _upstream.SendAsync(request);
            lock (Answers)
            {
                Answers.Add((number, (int)response.StatusCode));
            }
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (isEvents)
            {
                lock (Answers)
                {
                    EventAnswerBodies.Add(System.Text.Encoding.UTF8.GetString(bytes));
                }
            }
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _upstream.Dispose();
    }
}
