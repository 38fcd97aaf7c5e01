using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Catalogs;
using Cairn.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Benchmarks.Progress;

/// <summary>
/// Trigger → cell latency under a steady ingest load. A real server (SQLite, its own job worker) loads a catalog;
/// a group holds every sending player; the benchmark listens on the group's live stream and, for each event that
/// completes a point, measures from the acknowledgement of its request to the arrival of the cell on the stream.
/// </summary>
internal static class ProgressBenchmark
{
    public const double TargetP95Ms = 250;
    private const string Org = "bench-progress";
    private const string GroupId = "bench-class";

    public static async Task RunAsync(ProgressSettings settings, TextWriter console)
    {
        var catalog = CatalogLoader.Load(settings.Catalog, await File.ReadAllTextAsync(settings.Catalog));
        var directory = Directory.CreateTempSubdirectory("cairn-progress-").FullName;
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            File.Copy(settings.Catalog, Path.Combine(catalogs, Path.GetFileName(settings.Catalog)));

            await using var server = await BenchServer.StartAsync(Path.Combine(directory, "server"), catalogs);
            var key = await server.CreateKeyAsync(Org, catalog.Game);
            var players = Enumerable.Range(0, settings.Players).Select(i => $"p{i:D5}@school.org").ToList();
            var playerKeys = await server.CreateGroupAsync(GroupId, Org, catalog.Game, players);

            var arrived = new ConcurrentDictionary<(string, string), long>();
            var clock = new WallClock();
            using var streamClient = new HttpClient { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
            using var stop = new CancellationTokenSource();
            var reading = await BenchServer.OpenStreamAsync(streamClient, GroupId,
                (pk, point, status, at) =>
                {
                    if (status != "white")
                    {
                        arrived.TryAdd((pk, point), at);
                    }
                }, stop.Token);

            var load = new Load(server, key, catalog, players, playerKeys, settings);
            var warmupSeconds = Math.Min(3, settings.Seconds);
            console.WriteLine($"progress: {catalog.Game} ({catalog.Points.Count} points), {settings.Players} players in one group, " +
                $"{settings.Rate:N0} events/s in requests of {settings.Batch}, {settings.Completing:P0} completing; warm-up {warmupSeconds} s, measured {settings.Seconds} s …");
            await load.RunAsync(warmupSeconds, measured: false);
            var loadBefore = Latencies.LoadAverage();
            var sent = await load.RunAsync(settings.Seconds, measured: true);
            var loadAfter = Latencies.LoadAverage();

            // Every measured cell must arrive; give the queue time to drain.
            var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
            while (load.Acked.Keys.Any(k => !arrived.ContainsKey(k)) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(100);
            }
            var drained = Stopwatch.GetElapsedTime(load.LastAck);
            await stop.CancelAsync();
            await reading;

            var cells = new Latencies(load.Acked.Where(a => arrived.ContainsKey(a.Key)).Select(a => Math.Max(0, Latencies.Ms(a.Value, arrived[a.Key]))));
            // Where the time goes: a row's updated_at is the worker's clock when its handler had computed it, just before the
            // completion's write transaction; Stopwatch times are put on the same clock through one anchor.
            var store = server.Services.GetRequiredService<Stores>();
            var group = await store.Groups.GetGroupAsync(Org, GroupId, CancellationToken.None);
            var computed = (await store.Projection<Cairn.Progress.Storage.IProgressStore>(Cairn.Progress.ProgressProjection.Name).GetGroupProgressAsync(group!, CancellationToken.None)).ToDictionary(r => (r.PlayerKey, r.PointId), r => r.UpdatedAt);
            var measuredCells = load.Acked.Where(a => arrived.ContainsKey(a.Key) && computed.ContainsKey(a.Key)).ToList();
            var toComputed = new Latencies(measuredCells.Select(a => Math.Max(0, (computed[a.Key] - clock.At(a.Value)).TotalMilliseconds)));
            var toStream = new Latencies(measuredCells.Select(a => Math.Max(0, (clock.At(arrived[a.Key]) - computed[a.Key]).TotalMilliseconds)));
            var missing = load.Acked.Count - cells.Count;
            var requests = new Latencies(load.RequestLatencies);
            var inv = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.AppendLine(inv, $"Progress latency, {catalog.Game} catalog ({catalog.Points.Count} points), SQLite store, {settings.Players} players in one group, " +
                $"{settings.Rate:N0} events/s offered in requests of {settings.Batch} for {settings.Seconds} s ({sent.Events:N0} events sent in {sent.Elapsed.TotalSeconds:F1} s = {sent.Events / sent.Elapsed.TotalSeconds:N0}/s), " +
                $"{load.Acked.Count:N0} completing events; load average {loadBefore} before, {loadAfter} after; {Environment.ProcessorCount} cores.");
            text.AppendLine();
            text.AppendLine(Latencies.Header);
            text.AppendLine(cells.Row("ack → cell on the stream (per completing event)"));
            text.AppendLine(toComputed.Row("  ack → row computed (queue, claim, handler)"));
            text.AppendLine(toStream.Row("  row computed → cell on the stream (completion transaction, feed, stream)"));
            text.AppendLine(requests.Row($"ingest acknowledgement (per request of {settings.Batch})"));
            text.AppendLine();
            text.AppendLine(inv, $"Cells missing after 30 s: {missing}. Last cell arrived {drained.TotalMilliseconds:N0} ms after the last acknowledgement. " +
                $"Requests refused with 503 (and sent again after Retry-After): {server.Refused:N0}.");
            text.AppendLine(inv, $"p95 ack → cell: **{cells.P(0.95):F0} ms** (target < {TargetP95Ms:F0} ms): {(cells.P(0.95) < TargetP95Ms && missing == 0 ? "met" : "NOT met")}.");
            var markdown = text.ToString();
            await ResultFile.WriteAsync(console, markdown, settings.MarkdownPath);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Stopwatch timestamps on the wall clock, through one anchor taken at the start (drift over a run is negligible).</summary>
    private sealed class WallClock
    {
        private readonly DateTimeOffset _utc = DateTimeOffset.UtcNow;
        private readonly long _timestamp = Stopwatch.GetTimestamp();

        public DateTimeOffset At(long timestamp) => _utc + Stopwatch.GetElapsedTime(_timestamp, timestamp);
    }

    /// <summary>An open-loop load: requests leave at their scheduled times, whether earlier ones were answered or not.</summary>
    private sealed class Load(
        BenchServer server, string key, GameCatalog catalog, List<string> players, Dictionary<string, string> playerKeys, ProgressSettings settings)
    {
        private readonly Random _random = new(42);
        private readonly Queue<PointDefinition>[] _remaining = players.Select(_ => new Queue<PointDefinition>(catalog.Points)).ToArray();
        private int _request;
        private long _eventNumber;

        /// <summary>Ack time of each measured completing event, by cell.</summary>
        public ConcurrentDictionary<(string, string), long> Acked { get; } = new();

        public ConcurrentBag<double> RequestLatencies { get; } = [];

        private long _lastAck;

        public long LastAck => Interlocked.Read(ref _lastAck);

        public async Task<(int Events, TimeSpan Elapsed)> RunAsync(int seconds, bool measured)
        {
            var requests = settings.Rate * seconds / settings.Batch;
            var interval = (double)settings.Batch / settings.Rate * Stopwatch.Frequency;
            var inFlight = new List<Task>(requests);
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < requests; i++)
            {
                var due = started + (long)(i * interval);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > Stopwatch.Frequency / 500)
                {
                    await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                }
                var (body, cells) = NextRequest();
                inFlight.Add(SendAsync(body, cells, measured));
            }
            await Task.WhenAll(inFlight);
            return (requests * settings.Batch, Stopwatch.GetElapsedTime(started));
        }

        private async Task SendAsync(byte[] body, List<(string, string)> cells, bool measured)
        {
            var sent = Stopwatch.GetTimestamp();
            var acked = await server.PostEventsAsync(key, body);
            Interlocked.Exchange(ref _lastAck, acked);
            if (measured)
            {
                RequestLatencies.Add(Latencies.Ms(sent, acked));
                foreach (var cell in cells)
                {
                    Acked[cell] = acked;
                }
            }
        }

        private (byte[] Body, List<(string, string)> Cells) NextRequest()
        {
            var player = _request++ % players.Count;
            var raw = players[player];
            var cells = new List<(string, string)>();
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                var now = DateTimeOffset.UtcNow;
                for (var e = 0; e < settings.Batch; e++)
                {
                    var id = $"pr-{Interlocked.Increment(ref _eventNumber):D9}";
                    var at = now.AddTicks(e * 10);
                    if (_random.NextDouble() < settings.Completing && _remaining[player].TryDequeue(out var point))
                    {
                        CompletingEvents.WriteEvent(json, catalog.Game, id, raw, at, j => CompletingEvents.WriteCompletion(j, point));
                        cells.Add((playerKeys[raw], point.Id));
                    }
                    else
                    {
                        CompletingEvents.WriteEvent(json, catalog.Game, id, raw, at, j => CompletingEvents.WriteFiller(j, _random));
                    }
                }
                json.WriteEndArray();
            }
            return (buffer.ToArray(), cells);
        }
    }
}
