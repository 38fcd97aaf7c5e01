using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Hosting;
using Cairn.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Benchmarks.Load;

/// <summary>
/// Side (a)+(b) of the load benchmark: a real Cairn server on loopback with a fresh SQLite store, fed
/// over HTTP by concurrent workers. Measures acknowledged events/s and per-request latency.
/// </summary>
internal static class HttpIngestRun
{
    public const string AdminToken = "cat_benchmark-admin-token-0123456789";
    public const string Pepper = "benchmark-pepper-0123456789abcdef";
    public const string Org = "bench";
    public const string WarmupOrg = "bench-warmup";

    public sealed record Result(int Events, TimeSpan Elapsed, double[] LatenciesMs, long Commits, long Requests, string DatabasePath)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(LoadSettings settings, string directory, string catalogs, byte[][] warmup, byte[][] measured, TextWriter console, string? store = null)
    {
        var dataDirectory = Path.Combine(directory, "server");
        var app = CairnServer.Build(new ServeSettings
        {
            DataDirectory = dataDirectory,
            Port = 0,
            CatalogsDirectory = catalogs,
            Store = store,
            Overrides = new Dictionary<string, string?>
            {
                ["Access:AdminToken"] = AdminToken,
                ["Identity:Pepper"] = Pepper,
                ["Storage:Synchronous"] = settings.Synchronous,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
                // The writer's debug message says how many requests each commit took; only the counter reads it.
                ["Logging:LogLevel:Cairn.Ingest.GroupCommitWriter"] = "Debug",
                ["Logging:Console:LogLevel:Cairn.Ingest.GroupCommitWriter"] = "Warning",
            },
        }, console);
        var counter = new CommitCounter();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(counter);
        await app.StartAsync();
        try
        {
            var address = CairnServer.ListeningAddress(app);
            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = settings.Clients,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            })
            { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };

            var warmupKey = await CreateKeyAsync(http, WarmupOrg);
            var key = await CreateKeyAsync(http, Org);

            // Warm-up: JIT, connection pool, SQLite page cache; into another org so the count check stays exact.
            if (warmup.Length > 0)
            {
                await SendAllAsync(http, warmupKey, warmup, settings.Clients);
            }

            counter.TakeCounts();
            var started = Stopwatch.GetTimestamp();
            var latencies = await SendAllAsync(http, key, measured, settings.Clients);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var (commits, requests, _) = counter.TakeCounts();

            var eventStore = app.Services.GetRequiredService<Stores>();
            var stored = await eventStore.Events.CountEventsAsync(Org, CancellationToken.None);
            if (stored != settings.Events)
            {
                throw new InvalidOperationException($"The server stored {stored} events for org '{Org}'; {settings.Events} were sent.");
            }
            return new Result(settings.Events, elapsed, latencies, commits, requests, Path.Combine(dataDirectory, "cairn.db"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<string> CreateKeyAsync(HttpClient http, string org)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/keys")
        {
            Content = JsonContent.Create(new { org, game = EventGenerator.Game }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>Sends every body once with <paramref name="clients"/> concurrent workers; returns each request's latency in ms.</summary>
    private static async Task<double[]> SendAllAsync(HttpClient http, string key, byte[][] bodies, int clients)
    {
        var latencies = new double[bodies.Length];
        var next = -1;
        var auth = new AuthenticationHeaderValue("Bearer", key);
        var json = new MediaTypeHeaderValue("application/json");

        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < bodies.Length)
            {
                var sent = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new ByteArrayContent(bodies[index]) };
                request.Content.Headers.ContentType = json;
                request.Headers.Authorization = auth;
                using var response = await http.SendAsync(request);
                var answer = await response.Content.ReadAsByteArrayAsync();
                latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Request {index} was answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer)}");
                }
                var rejected = ReadCount(answer, "rejected");
                if (rejected != 0)
                {
                    throw new InvalidOperationException($"Request {index}: {rejected} events rejected; the generator must send only valid events.");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(WorkerAsync)));
        return latencies;
    }

    /// <summary>Reads one top-level count from the answer without building a DOM: the client shares the 2 cores with the server.</summary>
    private static int ReadCount(byte[] answer, string name)
    {
        var reader = new Utf8JsonReader(answer);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return reader.GetInt32();
            }
            reader.Skip();
        }
        throw new InvalidOperationException($"The answer has no '{name}'.");
    }
}
