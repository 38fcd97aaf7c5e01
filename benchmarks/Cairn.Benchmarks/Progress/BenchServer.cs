using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cairn.Benchmarks.Load;
using Cairn.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cairn.Benchmarks.Progress;

/// <summary>
/// A real Cairn server in this process on loopback (its own job worker included), and the client calls the
/// progress benchmarks make: keys, groups, events, the matrix, and its live stream.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public Uri Address => CairnServer.ListeningAddress(_app);

    public static async Task<BenchServer> StartAsync(string dataDirectory, string catalogsDirectory, string? store = null)
    {
        var app = CairnServer.Build(new ServeSettings
        {
            DataDirectory = dataDirectory,
            Port = 0,
            CatalogsDirectory = catalogsDirectory,
            Store = store,
            Overrides = new Dictionary<string, string?>
            {
                ["Access:AdminToken"] = HttpIngestRun.AdminToken,
                ["Identity:Pepper"] = HttpIngestRun.Pepper,
                // Every simulated player shares one ingest key: its rate limit (200 requests/s) is not what is measured.
                ["Ingest:RateLimitPerSecond"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            },
        }, TextWriter.Null);
        await app.StartAsync();
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = CairnServer.ListeningAddress(app),
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HttpIngestRun.AdminToken);
        return new BenchServer(app, http);
    }

    public async Task<string> CreateKeyAsync(string org, string game)
    {
        using var response = await Http.PostAsJsonAsync("/v1/admin/keys", new { org, game });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>Creates the group with these players; returns each raw player id's playerKey.</summary>
    public async Task<Dictionary<string, string>> CreateGroupAsync(string id, string org, string game, IReadOnlyList<string> players)
    {
        using (var created = await Http.PostAsJsonAsync("/v1/groups", new { id, org, name = "Benchmark " + id, game, teachers = new[] { "t-bench" } }))
        {
            created.EnsureSuccessStatusCode();
        }
        using var members = await Http.PutAsJsonAsync($"/v1/groups/{id}/members",
            players.Select((p, i) => new { playerId = p, displayName = $"Student {i:D4}" }).ToArray());
        members.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await members.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("playerId").GetString()!, m => m.GetProperty("playerKey").GetString()!, StringComparer.Ordinal);
    }

    /// <summary>Requests answered 503 (the ingest budget full) and sent again after their Retry-After.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    /// <summary>
    /// Posts one batch with an ingest key, as a client would: a 503 is retried, same body, after its Retry-After.
    /// Returns the Stopwatch timestamp of the acknowledgement.
    /// </summary>
    public async Task<long> PostEventsAsync(string key, byte[] body)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await Http.SendAsync(request);
            var answer = await response.Content.ReadAsByteArrayAsync();
            var acked = Stopwatch.GetTimestamp();
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                Interlocked.Increment(ref _refused);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }
            if (!response.IsSuccessStatusCode || answer.AsSpan().IndexOf("\"rejected\":0"u8) < 0)
            {
                throw new InvalidOperationException($"Events answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}");
            }
            return acked;
        }
    }

    /// <summary>
    /// Opens the group's live stream and calls <paramref name="onCell"/> (playerKey, pointId, status, Stopwatch timestamp)
    /// for each cell as it arrives. Returns once the stream is open (its first bytes arrived); the task it returns
    /// reads until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<Task> OpenStreamAsync(
        HttpClient client, string groupId, Action<string, string, string, long> onCell, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/groups/{groupId}/progress/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HttpIngestRun.AdminToken);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var reader = new StreamReader(stream, Encoding.UTF8);
        // The server writes "retry: …" and flushes before it reads any change: once that arrived, nothing is missed.
        await reader.ReadLineAsync(cancellationToken);
        return ReadAsync();

        async Task ReadAsync()
        {
            try
            {
                string? line;
                while ((line = await reader.ReadLineAsync(cancellationToken)) is not null)
                {
                    if (!line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var arrived = Stopwatch.GetTimestamp();
                    using var cell = JsonDocument.Parse(line.AsMemory(6));
                    var root = cell.RootElement;
                    onCell(root.GetProperty("playerKey").GetString()!, root.GetProperty("pointId").GetString()!, root.GetProperty("status").GetString()!, arrived);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (IOException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                reader.Dispose();
                response.Dispose();
                request.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
