using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Benchmarks.Progress;
using Cairn.Mastery;
using Cairn.Mastery.Storage;
using Cairn.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Benchmarks.Mastery;

/// <summary>
/// Mastery end to end on a real server in this process (SQLite, its own workers): graded LMS submissions for a class
/// (created by their <c>class_id</c>) and for the rest of the org are posted, and the clock runs until every row is
/// computed (ingest → job → row): mastery observations per second. Then the reads, interleaved so all see the same load:
/// <c>GET /v1/players/{pk}/mastery</c> of a class member, the class dashboard (<c>GET /v1/groups/{id}/dashboard</c>: rollups
/// from jobs, risk evaluated at read), the dense class matrix (<c>GET /v1/groups/{id}/mastery</c>), the class's members'
/// mastery as a client would assemble it without those (the roster, then each member's read), the same in-process from
/// the stores, and <c>GET /health/live</c> as the floor of an HTTP request.
/// </summary>
internal static class MasteryBenchmark
{
    private const string Org = "bench-mastery";
    private const string Game = "lms";
    private const string ClassId = "bench-mastery-class";
    private const int BatchSize = 500;
    private const int Senders = 4;

    public static async Task RunAsync(MasteryBenchSettings settings, TextWriter console)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-mastery-").FullName;
        try
        {
            var catalogs = Path.Combine(directory, "catalogs");
            Directory.CreateDirectory(catalogs);
            await using var server = await BenchServer.StartAsync(Path.Combine(directory, "server"), catalogs);
            var key = await server.CreateKeyAsync(Org, Game);
            var standards = Enumerable.Range(1, settings.Standards).Select(i => $"STD.{i:D3}").ToList();
            var random = new Random(7);

            // Class members get --rounds grades per standard, the rest of the org one; in time order per student.
            var events = new List<(string Student, string? Class, string Standard, int Round, double Score)>();
            for (var round = 0; round < settings.Rounds; round++)
            {
                foreach (var standard in standards)
                {
                    for (var s = 0; s < settings.Students; s++)
                    {
                        events.Add(($"c{s:D4}@school.org", ClassId, standard, round, random.Next(30, 101)));
                    }
                    if (round == 0)
                    {
                        for (var o = 0; o < settings.Others; o++)
                        {
                            events.Add(($"o{o:D5}@school.org", "bench-other-class", standard, round, random.Next(30, 101)));
                        }
                    }
                }
            }
            var bodies = events.Chunk(BatchSize).Select((chunk, b) => Body(chunk, b)).ToList();
            var store = server.Services.GetRequiredService<Stores>();
            var mastery = store.Projection<IMasteryStore>(MasteryProjection.Name);
            console.WriteLine($"mastery: {events.Count:N0} graded submissions ({settings.Students} class students × {settings.Standards} standards × {settings.Rounds} " +
                $"+ {settings.Others} other students × {settings.Standards}) in {bodies.Count} requests of {BatchSize}, {Senders} senders …");

            var loadBefore = Latencies.LoadAverage();
            var started = Stopwatch.GetTimestamp();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Count)
                {
                    await server.PostEventsAsync(key, bodies[i]);
                }
            })));
            var acked = Stopwatch.GetTimestamp();
            while (await store.Jobs.CountJobsAsync(CancellationToken.None) is { Pending: > 0 } or { Leased: > 0 })
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(20))
                {
                    throw new InvalidOperationException("The mastery rows were not all computed within 20 minutes.");
                }
                await Task.Delay(20);
            }
            var done = Stopwatch.GetTimestamp();
            // The class rollups follow the mastery rows (their own jobs): the dashboard is read once they are all done.
            while ((await store.Jobs.CountJobsAsync(CancellationToken.None)) is { Pending: > 0 } or { Leased: > 0 })
            {
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(20))
                {
                    throw new InvalidOperationException("The class rollups were not all computed within 20 minutes.");
                }
                await Task.Delay(20);
            }
            var loadAfterWrites = Latencies.LoadAverage();

            // Every submission must be in a row: count them back.
            var members = await store.Groups.GetMembersAsync(Org, ClassId, CancellationToken.None);
            var keys = members.Select(m => m.PlayerKey).ToList();
            var others = await store.Groups.GetMembersAsync(Org, "bench-other-class", CancellationToken.None);
            long observations = 0, rows = 0;
            foreach (var member in members.Concat(others))
            {
                var mine = await mastery.GetPlayerMasteryAsync(member.PlayerKey, Game, CancellationToken.None);
                rows += mine.Count;
                observations += mine.Sum(r => r.Observations);
            }
            if (observations != events.Count || keys.Count != settings.Students)
            {
                throw new InvalidOperationException($"Expected {events.Count} observations of {settings.Students} class members; found {observations} of {keys.Count}.");
            }
            console.WriteLine($"  {rows:N0} rows, {observations:N0} observations in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s; reads …");

            var player = new List<double>();
            var classHttp = new List<double>();
            var classInProcess = new List<double>();
            var dashboard = new List<double>();
            var matrix = new List<double>();
            int dashboardBytes = 0, matrixBytes = 0;
            var floor = new List<double>();
            var playerBytes = 0;
            var classEvery = 5;
            for (var i = 0; i < settings.Warmup + settings.Iterations; i++)
            {
                var pk = keys[random.Next(keys.Count)];
                var t0 = Stopwatch.GetTimestamp();
                playerBytes = (await server.Http.GetByteArrayAsync($"/v1/players/{pk}/mastery")).Length;
                var t1 = Stopwatch.GetTimestamp();
                await server.Http.GetByteArrayAsync("/health/live");
                var t2 = Stopwatch.GetTimestamp();
                if (i >= settings.Warmup)
                {
                    player.Add(Latencies.Ms(t0, t1));
                    floor.Add(Latencies.Ms(t1, t2));
                }
                if (i % classEvery != 0)
                {
                    continue;
                }
                var d0 = Stopwatch.GetTimestamp();
                dashboardBytes = (await server.Http.GetByteArrayAsync($"/v1/groups/{ClassId}/dashboard")).Length;
                var d1 = Stopwatch.GetTimestamp();
                matrixBytes = (await server.Http.GetByteArrayAsync($"/v1/groups/{ClassId}/mastery")).Length;
                var d2 = Stopwatch.GetTimestamp();
                if (i >= settings.Warmup)
                {
                    dashboard.Add(Latencies.Ms(d0, d1));
                    matrix.Add(Latencies.Ms(d1, d2));
                }
                var t3 = Stopwatch.GetTimestamp();
                using (var roster = JsonDocument.Parse(await server.Http.GetByteArrayAsync($"/v1/groups/{ClassId}/members")))
                {
                    foreach (var m in roster.RootElement.GetProperty("members").EnumerateArray())
                    {
                        await server.Http.GetByteArrayAsync($"/v1/players/{m.GetProperty("playerKey").GetString()}/mastery");
                    }
                }
                var t4 = Stopwatch.GetTimestamp();
                foreach (var m in await store.Groups.GetMembersAsync(Org, ClassId, CancellationToken.None))
                {
                    await mastery.GetPlayerMasteryAsync(m.PlayerKey, Game, CancellationToken.None);
                }
                var t5 = Stopwatch.GetTimestamp();
                if (i >= settings.Warmup)
                {
                    classHttp.Add(Latencies.Ms(t3, t4));
                    classInProcess.Add(Latencies.Ms(t4, t5));
                }
            }
            var loadAfter = Latencies.LoadAverage();

            var inv = CultureInfo.InvariantCulture;
            var ingestSeconds = Latencies.Ms(started, acked) / 1000;
            var totalSeconds = Latencies.Ms(started, done) / 1000;
            var text = new StringBuilder();
            text.AppendLine(inv, $"Mastery, a class of {settings.Students} students × {settings.Standards} standards ({settings.Rounds} grades each) and {settings.Others} more " +
                $"students of the org (one grade per standard), SQLite store, default parameters; load average {loadBefore} before, {loadAfterWrites} after " +
                $"the writes, {loadAfter} after the reads; {Environment.ProcessorCount} cores.");
            text.AppendLine();
            text.AppendLine(inv, $"Ingest → job → row: {events.Count:N0} graded submissions acknowledged in {ingestSeconds:F1} s ({events.Count / ingestSeconds:N0}/s), " +
                $"every row computed {totalSeconds:F1} s after the first request: **{events.Count / totalSeconds:N0} mastery observations per second** end to end " +
                $"({rows:N0} rows; jobs coalesce, so a row sees several observations in one recompute when they arrive together).");
            text.AppendLine();
            text.AppendLine(Latencies.Header);
            text.AppendLine(new Latencies(player).Row($"GET /v1/players/{{pk}}/mastery, a class member ({settings.Standards} rows, {playerBytes:N0} B)"));
            text.AppendLine(new Latencies(dashboard).Row($"GET /v1/groups/{{id}}/dashboard, the class ({settings.Students} × {settings.Standards}; {dashboardBytes:N0} B)"));
            text.AppendLine(new Latencies(matrix).Row($"GET /v1/groups/{{id}}/mastery, the dense class matrix ({matrixBytes:N0} B)"));
            text.AppendLine(new Latencies(classHttp).Row($"the class's mastery over HTTP: GET …/members + {settings.Students} × GET /v1/players/{{pk}}/mastery"));
            text.AppendLine(new Latencies(classInProcess).Row($"the same in-process: IGroupStore.GetMembersAsync + {settings.Students} × IMasteryStore.GetPlayerMasteryAsync"));
            text.AppendLine(new Latencies(floor).Row("GET /health/live (HTTP floor, same run)"));
            await ResultFile.WriteAsync(console, text.ToString(), settings.MarkdownPath);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Body(IEnumerable<(string Student, string? Class, string Standard, int Round, double Score)> events, int batch)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            var t0 = DateTimeOffset.UtcNow.AddDays(-10);
            var n = 0;
            foreach (var (student, classId, standard, round, score) in events)
            {
                json.WriteStartObject();
                json.WriteString("event_id", $"m-{batch}-{n++}");
                json.WriteString("source", "bench-lms");
                // One day per round: a student's grades of a standard are in time order whatever order they arrive in.
                json.WriteString("timestamp", t0.AddDays(round).AddSeconds(n).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteString("student_id", student);
                if (classId is not null)
                {
                    json.WriteString("class_id", classId);
                }
                json.WriteString("assignment_id", $"asg-{round}-{standard}");
                json.WriteStartArray("standard_ids");
                json.WriteStringValue(standard);
                json.WriteEndArray();
                json.WriteNumber("score", score);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }
}
