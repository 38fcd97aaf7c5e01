using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Benchmarks.Load;
using Cairn.Benchmarks.Progress;
using Cairn.Hosting;
using Cairn.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Cairn.Benchmarks.PlayerState;

/// <summary>
/// Player-state reads (state, inventory, visited) over HTTP at scale: a real server is loaded with P players × E events
/// (waypoints, items, coins), its jobs drain, then N readers read random players while ingest runs at R events/s, once
/// with the in-process cache (<c>Cache:MaxEntries</c> = P) and once without (0), on the same data: the ratio is the cache's.
/// SQLite, and PostgreSQL with <c>--postgres</c>.
/// </summary>
internal static partial class StateReadBenchmark
{
    public const double TargetP95Ms = 10;
    private const string Org = "bench-state";
    private const string Game = "bench-woods";
    private const int Waypoints = 20;
    private const int Items = 30;

    private const string Catalog = """
        game: bench-woods
        title: Benchmark Woods
        eventTypes:
          waypoint_visited:
            data: { contentId: string }
          item_collected:
            data: { contentId: string }
          coin_found:
            data: { count: integer }
        state:
          rules:
            - on: { eventType: waypoint_visited }
              visit: { field: contentId }
              location: { field: contentId }
            - on: { eventType: item_collected }
              addItem: { field: contentId }
            - on: { eventType: coin_found }
              addCounter: { counter: coins, amount: { field: count } }
        achievements:
          - id: rich
            title: Rich
            when: { counter: coins, atLeast: 50 }
        """;

    public static async Task RunAsync(StateReadSettings settings, TextWriter console)
    {
        var rows = new List<string>();
        var loadBefore = Latencies.LoadAverage();
        rows.AddRange(await RunStoreAsync("SQLite", null, settings, console));
        if (settings.Postgres is { } admin)
        {
            var name = "cairn_bench_state_" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            await ExecuteAsync(admin, $"CREATE DATABASE {name};");
            try
            {
                rows.AddRange(await RunStoreAsync("PostgreSQL", new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString, settings, console));
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
            }
        }
        var loadAfter = Latencies.LoadAverage();
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"state reads: {settings.Players:N0} players × {settings.Events} events, {settings.Readers} readers, ingest {settings.Rate:N0} events/s while reading, {settings.Seconds} s per row; load average before {loadBefore}, after {loadAfter}; target p95 < {TargetP95Ms} ms")
            .AppendLine()
            .AppendLine("| store | cache | read | samples | p50 (ms) | p95 (ms) | p99 (ms) | p95 ratio (cache / none) | hit rate |")
            .AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            table.AppendLine(row);
        }
        console.WriteLine(table);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.MarkdownPath))!);
        await File.WriteAllTextAsync(settings.MarkdownPath, table.ToString());
    }

    private static async Task<List<string>> RunStoreAsync(string storeName, string? store, StateReadSettings settings, TextWriter console)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-state-").FullName;
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            await File.WriteAllTextAsync(Path.Combine(catalogs, "bench-woods.yaml"), Catalog);
            var data = Path.Combine(directory, "server");
            var players = Enumerable.Range(0, settings.Players).Select(i => $"s{i:D6}@school.org").ToArray();

            string[] keys;
            string ingestKey;
            await using (var server = await StartAsync(data, catalogs, store, settings.Players))
            {
                ingestKey = await server.CreateKeyAsync(Org, Game);
                var clock = Stopwatch.StartNew();
                await SeedAsync(server, ingestKey, players, settings.Events);
                console.WriteLine($"{storeName}: {settings.Players * settings.Events:N0} events in {clock.Elapsed.TotalSeconds:F0} s; waiting for the jobs …");
                await DrainAsync(server);
                console.WriteLine($"{storeName}: loaded and computed in {clock.Elapsed.TotalSeconds:F0} s");
                var keyring = server.Services.GetRequiredService<Identity.PlayerKeys>();
                keys = [.. players.Select(p => keyring.Compute(Org, p))];
            }

            var results = new Dictionary<(string Cache, string Read), Latencies>();
            var hitRates = new Dictionary<string, string>();
            foreach (var (cache, entries) in new[] { ("in process", settings.Players), ("none", 0) })
            {
                await using var server = await StartAsync(data, catalogs, store, entries);
                var measured = await MeasureAsync(server, ingestKey, players, keys, settings);
                foreach (var (read, latencies) in measured)
                {
                    results[(cache, read)] = latencies;
                }
                hitRates[cache] = await HitRateAsync(server);
                console.WriteLine($"{storeName}, cache {cache}: measured");
            }
            var rows = new List<string>();
            foreach (var ((cache, read), latencies) in results.OrderBy(r => r.Key.Read, StringComparer.Ordinal).ThenBy(r => r.Key.Cache == "none"))
            {
                var none = results[("none", read)];
                var ratio = cache == "none" ? "" : (latencies.P(0.95) / none.P(0.95)).ToString("F2", CultureInfo.InvariantCulture);
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {storeName} | {cache} | {read} | {latencies.Count:N0} | {latencies.P(0.50):F2} | {latencies.P(0.95):F2} | {latencies.P(0.99):F2} | {ratio} | {hitRates[cache]} |"));
            }
            return rows;
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<BenchServer> StartAsync(string data, string catalogs, string? store, int cacheEntries)
    {
        // The bench server with the cache setting of this run (BenchServer reads Cairn's usual environment overrides).
        Environment.SetEnvironmentVariable("CAIRN_Cache__MaxEntries", cacheEntries.ToString(CultureInfo.InvariantCulture));
        return await BenchServer.StartAsync(data, catalogs, store);
    }

    private static JsonObject Event(string player, int n, Random random)
    {
        var kind = random.Next(3);
        var (type, value) = kind switch
        {
            0 => ("waypoint_visited", (JsonNode)$"w{random.Next(Waypoints):D2}"),
            1 => ("item_collected", $"i{random.Next(Items):D2}"),
            _ => ("coin_found", random.Next(1, 3)),
        };
        return new JsonObject
        {
            ["eventId"] = $"{player}-{n}-{random.Next():x}",
            ["eventType"] = type,
            ["timestamp"] = DateTimeOffset.UtcNow.AddHours(-1).AddMilliseconds(n).ToString("O", CultureInfo.InvariantCulture),
            ["game"] = Game,
            ["playerId"] = player,
            ["data"] = new JsonObject { [kind == 2 ? "count" : "contentId"] = value },
        };
    }

    /// <summary>Every player's events, five players per request of 5 × E events, eight requests in flight.</summary>
    private static async Task SeedAsync(BenchServer server, string key, string[] players, int events)
    {
        var batches = players.Chunk(Math.Max(1, 500 / events)).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var random = new Random();
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                var array = new JsonArray();
                foreach (var player in batches[i])
                {
                    for (var n = 0; n < events; n++)
                    {
                        array.Add(Event(player, n, random));
                    }
                }
                await server.PostEventsAsync(key, Encoding.UTF8.GetBytes(array.ToJsonString()));
            }
        })));
    }

    private static async Task DrainAsync(BenchServer server)
    {
        var jobs = server.Services.GetRequiredService<IJobQueue>();
        while ((await jobs.CountJobsAsync(CancellationToken.None)) is { Pending: > 0 } or { Leased: > 0 })
        {
            await Task.Delay(500);
        }
    }

    private static async Task<Dictionary<string, Latencies>> MeasureAsync(BenchServer server, string key, string[] players, string[] keys, StateReadSettings settings)
    {
        using var stop = new CancellationTokenSource();
        var ingest = Task.Run(() => IngestAsync(server, key, players, settings.Rate, stop.Token));
        // Warm-up (as long as a fifth of the measurement): the cache fills, connections open.
        await ReadAsync(server, keys, settings.Readers, TimeSpan.FromSeconds(Math.Max(1, settings.Seconds / 5.0)));
        var measured = await ReadAsync(server, keys, settings.Readers, TimeSpan.FromSeconds(settings.Seconds));
        await stop.CancelAsync();
        await ingest;
        return measured.ToDictionary(m => m.Key, m => new Latencies(m.Value));
    }

    private static async Task<Dictionary<string, List<double>>> ReadAsync(BenchServer server, string[] keys, int readers, TimeSpan duration)
    {
        var samples = new[] { "state", "inventory", "visited" }.ToDictionary(r => r, _ => new List<double>());
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            var mine = samples.Keys.ToDictionary(k => k, _ => new List<double>());
            while (Stopwatch.GetTimestamp() < end)
            {
                var player = keys[random.Next(keys.Length)];
                var read = random.Next(3) switch { 0 => "state", 1 => "inventory", _ => "visited" };
                var path = read switch
                {
                    "state" => $"/v1/players/{player}/state?game={Game}",
                    "inventory" => $"/v1/players/{player}/state/inventory?game={Game}",
                    _ => $"/v1/players/{player}/state/visited/w{random.Next(Waypoints):D2}?game={Game}",
                };
                var started = Stopwatch.GetTimestamp();
                using var response = await server.Http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                var ms = Latencies.Ms(started, Stopwatch.GetTimestamp());
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
                }
                mine[read].Add(ms);
            }
            lock (samples)
            {
                foreach (var (read, list) in mine)
                {
                    samples[read].AddRange(list);
                }
            }
        })));
        return samples;
    }

    /// <summary>Events at a steady rate to random players, in requests of 10 (every 10 ms at 1,000/s).</summary>
    private static async Task IngestAsync(BenchServer server, string key, string[] players, int rate, CancellationToken cancellationToken)
    {
        if (rate == 0)
        {
            return;
        }
        var random = new Random(7);
        var perRequest = 10;
        var interval = TimeSpan.FromSeconds(perRequest / (double)rate);
        var next = Stopwatch.GetTimestamp();
        var n = 1_000_000;
        while (!cancellationToken.IsCancellationRequested)
        {
            var array = new JsonArray();
            var player = players[random.Next(players.Length)];
            for (var i = 0; i < perRequest; i++)
            {
                array.Add(Event(player, n++, random));
            }
            await server.PostEventsAsync(key, Encoding.UTF8.GetBytes(array.ToJsonString()));
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static async Task<string> HitRateAsync(BenchServer server)
    {
        var text = await server.Http.GetStringAsync("/metrics");
        double Value(string outcome) => LookupLine().Matches(text).Where(m => m.Groups["outcome"].Value == outcome).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        var hits = Value("hit");
        var all = hits + Value("miss") + Value("bypass");
        return all == 0 ? "" : (hits / all).ToString("P0", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^cairn_player_state_cache_lookups\{[^}]*outcome="(?<outcome>\w+)"[^}]*\} (?<value>[0-9.eE+]+)""", RegexOptions.Multiline)]
    private static partial Regex LookupLine();

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
