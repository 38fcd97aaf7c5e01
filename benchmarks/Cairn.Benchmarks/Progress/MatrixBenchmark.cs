using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Catalogs;
using Cairn.Dashboard;
using Cairn.Storage;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Benchmarks.Progress;

/// <summary>
/// The class matrix: a group of players × a generated catalog with rows filled in. Times the dense read
/// (<see cref="MatrixReader.ReadAsync"/> in-process, and the whole <c>GET /v1/groups/{id}/progress</c>, against
/// <c>GET /health/live</c> as the floor of an HTTP request, interleaved so all three see the same load), then
/// ack → cell delivered on the live stream with one listening client and with many.
/// </summary>
internal static class MatrixBenchmark
{
    public const double TargetReadMs = 5;
    public const double TargetStreamP95Ms = 250;
    private const string Org = "bench-matrix";
    private const string Game = "matrix";
    private const string GroupId = "bench-matrix-class";

    public static async Task RunAsync(MatrixSettings settings, TextWriter console)
    {
        var yaml = CatalogGenerator.Yaml(Game, settings.Points);
        var catalog = CatalogLoader.Load("matrix.yaml", yaml);
        var directory = Directory.CreateTempSubdirectory("cairn-matrix-").FullName;
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            await File.WriteAllTextAsync(Path.Combine(catalogs, "matrix.yaml"), yaml);

            await using var server = await BenchServer.StartAsync(Path.Combine(directory, "server"), catalogs);
            var key = await server.CreateKeyAsync(Org, Game);
            var players = Enumerable.Range(0, settings.Players).Select(i => $"m{i:D4}@school.org").ToList();
            var playerKeys = await server.CreateGroupAsync(GroupId, Org, Game, players);

            // Fill: each player completes a random share of the points, in one request per player.
            var random = new Random(7);
            var white = new List<(string Player, PointDefinition Point)>();
            var filled = 0;
            var eventNumber = 0;
            foreach (var player in players)
            {
                var order = catalog.Points.OrderBy(_ => random.Next()).ToList();
                var done = (int)Math.Round(settings.Fill * order.Count);
                white.AddRange(order.Skip(done).Select(p => (player, p)));
                if (done == 0)
                {
                    continue;
                }
                await server.PostEventsAsync(key, Body(order.Take(done).Select(p => (player, p)), ref eventNumber));
                filled += done;
            }
            white = [.. white.OrderBy(_ => random.Next())];
            // The rest of the org: players outside the group, with rows of the same game (the school around the class).
            for (var o = 0; o < settings.Others; o++)
            {
                var order = catalog.Points.OrderBy(_ => random.Next()).Take((int)Math.Round(settings.Fill * catalog.Points.Count));
                var body = Body(order.Select(p => ($"o{o:D5}@school.org", p)), ref eventNumber);
                if (body.Length > 2)
                {
                    await server.PostEventsAsync(key, body);
                }
            }
            var store = server.Services.GetRequiredService<Stores>();
            var reader = server.Services.GetRequiredService<MatrixReader>();
            var group = await store.Groups.GetGroupAsync(Org, GroupId, CancellationToken.None) ?? throw new InvalidOperationException("The group was not created.");
            console.WriteLine($"matrix: {settings.Players} players × {settings.Points} points, filling {filled:N0} cells, and those of {settings.Others} other players of the org …");
            var fillStarted = Stopwatch.GetTimestamp();
            while (Colored(await reader.ReadAsync(group, CancellationToken.None)) < filled
                   || await store.Jobs.CountJobsAsync(CancellationToken.None) is { Pending: > 0 } or { Leased: > 0 })
            {
                if (Stopwatch.GetElapsedTime(fillStarted) > TimeSpan.FromMinutes(10))
                {
                    throw new InvalidOperationException("The rows were not all computed within 10 minutes.");
                }
                await Task.Delay(100);
            }
            console.WriteLine($"  rows computed in {Stopwatch.GetElapsedTime(fillStarted).TotalSeconds:F1} s");

            // The dense read, three ways, interleaved.
            var inProcess = new List<double>(settings.Iterations);
            var http = new List<double>(settings.Iterations);
            var floor = new List<double>(settings.Iterations);
            var bytes = 0;
            // Where the in-process time goes: each store read of the matrix, and the JSON the endpoint writes.
            var parts = new (string Name, List<double> Ms)[]
            {
                ("  store.Groups.GetGroupAsync (HTTP handler only)", []), ("  store.Projection<Cairn.Progress.Storage.IProgressStore>(Cairn.Progress.ProgressProjection.Name).GetLatestChangeAsync", []), ("  store.Groups.GetMembersAsync", []),
                ("  store.Projection<Cairn.Progress.Storage.IProgressStore>(Cairn.Progress.ProgressProjection.Name).GetGroupProgressAsync", []), ("  JSON serialization of the matrix", []),
            };
            var jsonOptions = server.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var loadBefore = Latencies.LoadAverage();
            for (var i = 0; i < settings.Warmup + settings.Iterations; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var matrix = await reader.ReadAsync(group, CancellationToken.None);
                var t1 = Stopwatch.GetTimestamp();
                var body = await server.Http.GetByteArrayAsync($"/v1/groups/{GroupId}/progress");
                var t2 = Stopwatch.GetTimestamp();
                await server.Http.GetByteArrayAsync("/health/live");
                var t3 = Stopwatch.GetTimestamp();
                if (i >= settings.Warmup)
                {
                    inProcess.Add(Latencies.Ms(t0, t1));
                    http.Add(Latencies.Ms(t1, t2));
                    floor.Add(Latencies.Ms(t2, t3));
                }
                bytes = body.Length;
                var t4 = Stopwatch.GetTimestamp();
                await store.Groups.GetGroupAsync(Org, GroupId, CancellationToken.None);
                var t5 = Stopwatch.GetTimestamp();
                await store.Projection<Cairn.Progress.Storage.IProgressStore>(Cairn.Progress.ProgressProjection.Name).GetLatestChangeAsync(CancellationToken.None);
                var t6 = Stopwatch.GetTimestamp();
                await store.Groups.GetMembersAsync(Org, GroupId, CancellationToken.None);
                var t7 = Stopwatch.GetTimestamp();
                await store.Projection<Cairn.Progress.Storage.IProgressStore>(Cairn.Progress.ProgressProjection.Name).GetGroupProgressAsync(group, CancellationToken.None);
                var t8 = Stopwatch.GetTimestamp();
                JsonSerializer.SerializeToUtf8Bytes(matrix, jsonOptions);
                var t9 = Stopwatch.GetTimestamp();
                if (i >= settings.Warmup)
                {
                    long[] marks = [t4, t5, t6, t7, t8, t9];
                    for (var k = 0; k < parts.Length; k++)
                    {
                        parts[k].Ms.Add(Latencies.Ms(marks[k], marks[k + 1]));
                    }
                }
            }
            var loadAfterReads = Latencies.LoadAverage();

            // Live stream: 1 client, then many; one completing event per request at a modest rate.
            console.WriteLine($"  reads done; stream phase: 1 client × 50 events, then {settings.Clients} clients × {settings.StreamEvents} events at {settings.StreamRate}/s …");
            var one = await StreamPhaseAsync(server, key, playerKeys, white.Take(50).ToList(), 1, settings.StreamRate, eventNumber);
            var many = await StreamPhaseAsync(server, key, playerKeys, white.Skip(50).Take(settings.StreamEvents).ToList(), settings.Clients, settings.StreamRate, eventNumber + 1_000);
            var loadAfter = Latencies.LoadAverage();

            var inv = CultureInfo.InvariantCulture;
            var reads = (InProcess: new Latencies(inProcess), Http: new Latencies(http), Floor: new Latencies(floor));
            var text = new StringBuilder();
            text.AppendLine(inv, $"Matrix, {settings.Players} players × {settings.Points} points ({filled:N0} cells filled, {bytes:N0} B of JSON), " +
                $"{settings.Others} more players of the org outside the group with rows as filled, SQLite store; " +
                $"load average {loadBefore} before, {loadAfterReads} after the reads, {loadAfter} after the streams; {Environment.ProcessorCount} cores.");
            text.AppendLine();
            text.AppendLine(Latencies.Header);
            text.AppendLine(reads.InProcess.Row("MatrixReader.ReadAsync (in-process)"));
            text.AppendLine(reads.Http.Row("GET /v1/groups/{id}/progress (HTTP, whole body)"));
            text.AppendLine(reads.Floor.Row("GET /health/live (HTTP floor, same run)"));
            foreach (var (name, ms) in parts)
            {
                text.AppendLine(new Latencies(ms).Row(name));
            }
            text.AppendLine(one.Latencies.Row($"ack → cell on the stream, 1 client ({one.Delivered:N0}/{one.Expected:N0} delivered)"));
            text.AppendLine(many.Latencies.Row($"ack → cell on the stream, {settings.Clients} clients, per cell per client ({many.Delivered:N0}/{many.Expected:N0} delivered)"));
            text.AppendLine();
            text.AppendLine(inv, $"Matrix read p50: {reads.InProcess.P(0.5):F2} ms in-process, {reads.Http.P(0.5):F2} ms over HTTP " +
                $"(HTTP − floor: {reads.Http.P(0.5) - reads.Floor.P(0.5):F2} ms; ratio to the floor {reads.Http.P(0.5) / reads.Floor.P(0.5):F1}×); " +
                $"target < {TargetReadMs:F0} ms: {(reads.Http.P(0.5) < TargetReadMs ? "met" : "NOT met")} (p95 {reads.Http.P(0.95):F2} ms).");
            text.AppendLine(inv, $"Stream p95 with {settings.Clients} clients: **{many.Latencies.P(0.95):F0} ms** vs {one.Latencies.P(0.95):F0} ms with 1 " +
                $"(ratio {many.Latencies.P(0.95) / one.Latencies.P(0.95):F1}×); target < {TargetStreamP95Ms:F0} ms: " +
                $"{(many.Latencies.P(0.95) < TargetStreamP95Ms && many.Delivered == many.Expected ? "met" : "NOT met")}.");
            var markdown = text.ToString();
            await ResultFile.WriteAsync(console, markdown, settings.MarkdownPath);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int Colored(Matrix matrix) => matrix.Cells.Sum(row => row.Count(c => c.Status != "white"));

    private static byte[] Body(IEnumerable<(string Player, PointDefinition Point)> cells, ref int eventNumber)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            var now = DateTimeOffset.UtcNow;
            foreach (var (player, point) in cells)
            {
                CompletingEvents.WriteEvent(json, Game, $"mx-{eventNumber++:D9}", player, now, j => CompletingEvents.WriteCompletion(j, point));
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private sealed record StreamResult(Latencies Latencies, int Delivered, int Expected);

    private static async Task<StreamResult> StreamPhaseAsync(
        BenchServer server, string key, Dictionary<string, string> playerKeys, List<(string Player, PointDefinition Point)> cells,
        int clients, int rate, int eventNumber)
    {
        using var streamClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 1 })
        {
            BaseAddress = server.Address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        using var stop = new CancellationTokenSource();
        var arrivals = new ConcurrentDictionary<(string, string), long>[clients];
        var readers = new Task[clients];
        for (var c = 0; c < clients; c++)
        {
            var mine = arrivals[c] = new ConcurrentDictionary<(string, string), long>();
            readers[c] = await BenchServer.OpenStreamAsync(streamClient, GroupId,
                (pk, point, status, at) =>
                {
                    if (status != "white")
                    {
                        mine.TryAdd((pk, point), at);
                    }
                }, stop.Token);
        }
        var acked = new ConcurrentDictionary<(string, string), long>();
        var sends = new List<Task>();
        var interval = Stopwatch.Frequency / (double)rate;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < cells.Count; i++)
        {
            var wait = started + (long)(i * interval) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }
            var cell = cells[i];
            var body = Body([cell], ref eventNumber);
            sends.Add(Task.Run(async () => acked[(playerKeys[cell.Player], cell.Point.Id)] = await server.PostEventsAsync(key, body)));
        }
        await Task.WhenAll(sends);
        var expected = cells.Count * clients;
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (arrivals.Sum(a => a.Count) < expected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var latencies = arrivals.SelectMany(a => a.Where(x => acked.ContainsKey(x.Key)).Select(x => Math.Max(0, Latencies.Ms(acked[x.Key], x.Value))));
        return new StreamResult(new Latencies(latencies), arrivals.Sum(a => a.Count(x => acked.ContainsKey(x.Key))), expected);
    }
}
