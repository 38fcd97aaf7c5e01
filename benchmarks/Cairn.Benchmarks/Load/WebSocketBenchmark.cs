using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cairn.Cli;
using Cairn.Benchmarks.Progress;
using Cairn.Hosting;
using Cairn.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// WebSocket ingest (<c>GET /v1/ws</c>) against HTTP ingest (<c>POST /v1/events</c>) on one server, the same batches,
/// in alternating rounds of one run: events/s and the ack latency (send → ack of an envelope, request → answer of a POST).
/// </summary>
internal static class WebSocketBenchmark
{
    public const string Usage = """
               dotnet run -c Release --project benchmarks/Cairn.Benchmarks -- websocket [options]
                 --events N          events per round and per path (default 100000)
                 --clients C         HTTP workers, and WebSocket connections (default 8)
                 --batch B           events per request and per envelope (default 500)
                 --inflight K        envelopes a connection keeps unanswered (default 2; the server allows 4)
                 --rounds R          alternating rounds of each path (default 2)
                 --markdown FILE     the result table (default BenchmarkDotNet.Artifacts/results/websocket.md)
        """;

    private sealed record Settings(int Events, int Clients, int Batch, int InFlight, int Rounds, string MarkdownPath);

    private sealed record Round(string Path, int Events, TimeSpan Elapsed, List<double> LatenciesMs);

    public static async Task RunAsync(IEnumerable<string> args, TextWriter console)
    {
        var parsed = Args.Parse(args);
        var settings = new Settings(parsed.IntOption("events", 100_000, 1_000, 10_000_000), parsed.IntOption("clients", 8, 1, 256),
            parsed.IntOption("batch", 500, 1, 5_000), parsed.IntOption("inflight", 2, 1, 64), parsed.IntOption("rounds", 2, 1, 20),
            parsed.Option("markdown") ?? "BenchmarkDotNet.Artifacts/results/websocket.md");
        parsed.RejectUnknown();

        var directory = Directory.CreateTempSubdirectory("cairn-ws-").FullName;
        var loadBefore = Latencies.LoadAverage();
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            await File.WriteAllTextAsync(Path.Combine(catalogs, "mhs.yaml"), EventGenerator.CatalogYaml);
            var app = CairnServer.Build(new ServeSettings
            {
                DataDirectory = Path.Combine(directory, "server"),
                Port = 0,
                CatalogsDirectory = catalogs,
                Overrides = new Dictionary<string, string?>
                {
                    ["Access:AdminToken"] = HttpIngestRun.AdminToken,
                    ["Identity:Pepper"] = HttpIngestRun.Pepper,
                    ["Ingest:RateLimitPerSecond"] = "0",
                    ["Ingest:WebSocket:MaxInFlightPerConnection"] = settings.InFlight.ToString(CultureInfo.InvariantCulture),
                    ["Logging:LogLevel:Default"] = "Warning",
                    ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
                },
            }, console);
            await app.StartAsync();
            try
            {
                var address = CairnServer.ListeningAddress(app);
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
                var key = await CreateKeyAsync(http);
                var stores = app.Services.GetRequiredService<Stores>();

                // Warm-up of both paths (JIT, pools, page cache), then the measured rounds, alternating.
                await HttpAsync(http, key, EventGenerator.Bodies("warm-h", 10_000, settings.Batch, 2_000, 1), settings.Clients);
                await WebSocketAsync(address, key, EventGenerator.Bodies("warm-w", 10_000, settings.Batch, 2_000, 2), settings, "warm");
                var rounds = new List<Round>();
                for (var r = 0; r < settings.Rounds; r++)
                {
                    foreach (var path in new[] { "HTTP", "WebSocket" })
                    {
                        var bodies = EventGenerator.Bodies($"{path}-{r}", settings.Events, settings.Batch, 2_000, 100 + r);
                        console.WriteLine($"round {r + 1}: {path}, {settings.Events:N0} events …");
                        var started = Stopwatch.GetTimestamp();
                        var latencies = path == "HTTP"
                            ? await HttpAsync(http, key, bodies, settings.Clients)
                            : await WebSocketAsync(address, key, bodies, settings, $"r{r}");
                        rounds.Add(new Round(path, settings.Events, Stopwatch.GetElapsedTime(started), latencies));
                    }
                }
                var stored = await stores.Events.CountEventsAsync(HttpIngestRun.Org, CancellationToken.None);
                var expected = 20_000 + 2L * settings.Rounds * settings.Events;
                if (stored != expected)
                {
                    throw new InvalidOperationException($"The server stored {stored} events; {expected} were sent.");
                }
                await ResultFile.WriteAsync(console, Markdown(settings, rounds, loadBefore, Latencies.LoadAverage()), settings.MarkdownPath);
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Markdown(Settings s, List<Round> rounds, string loadBefore, string loadAfter)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"WebSocket against HTTP ingest, one SQLite server, batches of {s.Batch} (an envelope or a request), {s.Clients} connections or workers, " +
            $"{s.InFlight} envelopes in flight per connection, {s.Rounds} alternating rounds of {s.Events:N0} events per path; load average {loadBefore} before, {loadAfter} after; " +
            $"{Environment.ProcessorCount} cores.");
        text.AppendLine();
        text.AppendLine("| round | path | events/s | ack p50 (ms) | ack p99 (ms) |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: |");
        for (var i = 0; i < rounds.Count; i++)
        {
            var r = rounds[i];
            text.AppendLine(inv, $"| {i / 2 + 1} | {r.Path} | {r.Events / r.Elapsed.TotalSeconds:N0} | {Percentile(r.LatenciesMs, 0.50):F1} | {Percentile(r.LatenciesMs, 0.99):F1} |");
        }
        double Rate(string path) => rounds.Where(r => r.Path == path).Sum(r => r.Events) / rounds.Where(r => r.Path == path).Sum(r => r.Elapsed.TotalSeconds);
        text.AppendLine();
        text.AppendLine(inv, $"Ratio WebSocket / HTTP events/s over all rounds: **{Rate("WebSocket") / Rate("HTTP"):F2}**.");
        return text.ToString();
    }

    private static async Task<string> CreateKeyAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/keys") { Content = JsonContent.Create(new { org = HttpIngestRun.Org, game = EventGenerator.Game }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HttpIngestRun.AdminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("key").GetString()!;
    }

    private static async Task<List<double>> HttpAsync(HttpClient http, string key, byte[][] bodies, int clients)
    {
        var latencies = new double[bodies.Length];
        var next = -1;
        var auth = new AuthenticationHeaderValue("Bearer", key);
        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < bodies.Length)
            {
                var sent = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new ByteArrayContent(bodies[index]) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = auth;
                using var response = await http.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (!response.IsSuccessStatusCode || !answer.Contains("\"rejected\":0", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Request {index}: {(int)response.StatusCode} {answer[..Math.Min(300, answer.Length)]}");
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(WorkerAsync)));
        return [.. latencies];
    }

    /// <summary>Each connection sends its share of envelopes keeping up to K unanswered; returns each envelope's send → ack time.</summary>
    private static async Task<List<double>> WebSocketAsync(Uri server, string key, byte[][] bodies, Settings settings, string tag)
    {
        var latencies = new double[bodies.Length];
        var next = -1;
        var url = new UriBuilder(server) { Scheme = "ws", Path = "/v1/ws" }.Uri;
        async Task ConnectionAsync(int c)
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
            await socket.ConnectAsync(url, CancellationToken.None);
            var buffer = new byte[1 << 20];
            await ReceiveAsync(socket, buffer); // ready
            var sentAt = new Dictionary<long, (int Index, long At, byte[] Envelope)>();
            using var sending = new SemaphoreSlim(1, 1);
            async Task SendAsync(byte[] envelope)
            {
                await sending.WaitAsync();
                try
                {
                    await socket.SendAsync(envelope, WebSocketMessageType.Text, true, CancellationToken.None);
                }
                finally
                {
                    sending.Release();
                }
            }
            using var slots = new SemaphoreSlim(settings.InFlight);
            var done = false;
            var receiver = Task.Run(async () =>
            {
                while (true)
                {
                    var message = await ReceiveAsync(socket, buffer);
                    if (message is null)
                    {
                        return;
                    }
                    using var doc = JsonDocument.Parse(message);
                    var root = doc.RootElement;
                    if (root.GetProperty("type").GetString() == "error" && root.GetProperty("code").GetString() == "unavailable")
                    {
                        // Saturated (the in-flight budget is shared with HTTP): resend after the delay, as a client does; the ack
                        // latency then includes the wait.
                        (int Index, long At, byte[] Envelope) refused;
                        lock (sentAt)
                        {
                            refused = sentAt[root.GetProperty("seq").GetInt64()];
                        }
                        await Task.Delay(root.GetProperty("retryAfterMs").GetInt32());
                        await SendAsync(refused.Envelope);
                        continue;
                    }
                    if (root.GetProperty("type").GetString() != "ack" || root.GetProperty("rejected").GetInt32() != 0)
                    {
                        throw new InvalidOperationException("Not an ack of valid events: " + Encoding.UTF8.GetString(message)[..Math.Min(300, message.Length)]);
                    }
                    (int Index, long At, byte[] Envelope) sent;
                    lock (sentAt)
                    {
                        sent = sentAt[root.GetProperty("seq").GetInt64()];
                        sentAt.Remove(root.GetProperty("seq").GetInt64());
                    }
                    latencies[sent.Index] = Stopwatch.GetElapsedTime(sent.At).TotalMilliseconds;
                    slots.Release();
                    lock (sentAt)
                    {
                        if (done && sentAt.Count == 0)
                        {
                            return;
                        }
                    }
                }
            });
            long seq = 0;
            int index;
            while ((index = Interlocked.Increment(ref next)) < bodies.Length)
            {
                await slots.WaitAsync();
                var envelope = Encoding.UTF8.GetBytes($"{{\"type\":\"analytics\",\"seq\":{seq},\"clientGuid\":\"{tag}-{c}\",\"events\":")
                    .Concat(bodies[index]).Append((byte)'}').ToArray();
                lock (sentAt)
                {
                    sentAt[seq] = (index, Stopwatch.GetTimestamp(), envelope);
                }
                seq++;
                await SendAsync(envelope);
            }
            lock (sentAt)
            {
                done = true;
                if (sentAt.Count == 0)
                {
                    return;
                }
            }
            await receiver;
        }
        await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(c => Task.Run(() => ConnectionAsync(c))));
        return [.. latencies];
    }

    private static async Task<byte[]?> ReceiveAsync(ClientWebSocket socket, byte[] buffer)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return buffer.AsSpan(0, length).ToArray();
            }
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
