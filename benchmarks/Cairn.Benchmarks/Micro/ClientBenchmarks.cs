using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cairn.Client;
using Cairn.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cairn.Benchmarks.Micro;

/// <summary>
/// <c>CairnClient.Track</c> as a game calls it (issue 16's target: under 2 µs and 1 KB), against the same event
/// serialized the usual reflection way (<see cref="JsonSerializer"/> over a dictionary), the baseline.
/// The client has an in-memory queue and never flushes during the run (the background thread only queues).
/// No job attribute: run with <c>--job short --inProcess</c> (docs/benchmarks.md), on a loaded machine the separate build times out.
/// </summary>
[MemoryDiagnoser]
public class ClientTrackBenchmarks
{
    private CairnClient _client = null!;
    private readonly EventData _data = new();
    private int _level;

    [GlobalSetup]
    public void Setup()
    {
        _client = new CairnClient(new CairnClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/"), IngestKey = "cik_benchmark", BatchSize = int.MaxValue,
            FlushInterval = TimeSpan.FromDays(1), MaxQueueBytes = 8 * 1024 * 1024, DisposeTimeout = TimeSpan.Zero,
        });
        _client.Identify("bench.player@example.com");
        _client.StartSession();
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] ReflectionSerialize() => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["eventId"] = Guid.NewGuid(), ["eventType"] = "game_stage_complete", ["timestamp"] = DateTime.UtcNow,
        ["playerId"] = "bench.player@example.com", ["sessionId"] = _client.SessionId,
        ["data"] = new Dictionary<string, object> { ["level"] = ++_level, ["score"] = 87.5, ["perfect"] = true },
    });

    [Benchmark]
    public bool Track() => _client.Track("game_stage_complete", _data.Clear().Set("level", ++_level).Set("score", 87.5).Set("perfect", true));
}

/// <summary>
/// A flush of 100 tracked events to a real server in this process (SQLite store, loopback), against a plain
/// <c>POST /v1/events</c> of 100 events of the same shape without the SDK (the baseline).
/// </summary>
[MemoryDiagnoser]
public class ClientFlushBenchmarks
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-bench-client", Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private CairnClient _client = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_data);
        _app = CairnServer.Build(new ServeSettings
        {
            DataDirectory = _data, Port = 0,
            Overrides = new Dictionary<string, string?>
            {
                ["Access:AdminToken"] = "cat_bench_admin_token_0123456789abcdef", ["Identity:Pepper"] = "bench-pepper-0123456789-abcdefghij",
                ["Logging:LogLevel:Default"] = "Warning", ["Ingest:RateLimitPerSecond"] = "1000000",
            },
        }, TextWriter.Null);
        _app.StartAsync().GetAwaiter().GetResult();
        var endpoint = CairnServer.ListeningAddress(_app);
        _http = new HttpClient { BaseAddress = endpoint };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cat_bench_admin_token_0123456789abcdef");
        using var created = _http.PostAsync("/v1/admin/keys", new StringContent("{\"org\":\"bench\",\"game\":\"bench\"}", Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        using var body = JsonDocument.Parse(created.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        var key = body.RootElement.GetProperty("key").GetString()!;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _client = new CairnClient(new CairnClientOptions
        {
            Endpoint = endpoint, IngestKey = key, BatchSize = 100, FlushInterval = TimeSpan.FromDays(1), QueueDirectory = Path.Combine(_data, "queue"),
        });
        _client.Identify("bench.player@example.com");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _http.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> PlainPost()
    {
        var events = new StringBuilder("[");
        for (var i = 0; i < 100; i++)
        {
            events.Append(i == 0 ? "" : ",").Append("{\"eventId\":\"").Append(Guid.NewGuid()).Append("\",\"eventType\":\"game_stage_complete\",\"timestamp\":\"")
                .Append(DateTime.UtcNow.ToString("O")).Append("\",\"playerId\":\"bench.player@example.com\",\"data\":{\"level\":").Append(i).Append("}}");
        }
        using var response = await _http.PostAsync("/v1/events", new StringContent(events.Append(']').ToString(), Encoding.UTF8, "application/json"));
        return (int)response.StatusCode;
    }

    [Benchmark]
    public async Task<bool> TrackAndFlush100()
    {
        var data = new EventData();
        for (var i = 0; i < 100; i++)
        {
            _client.Track("game_stage_complete", data.Clear().Set("level", i));
        }
        return await _client.FlushAsync();
    }
}
