using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cairn.Catalogs;

namespace Cairn.Demo;

/// <summary>
/// Plays a class through a game's catalog over HTTP, at a human pace with variation: some students are fast,
/// some slow, some get stuck for a while, some ask for help (or fail attempts), and now and then the teacher
/// resets a student's points. Game-agnostic: the events come from the catalog's own patterns.
/// </summary>
internal sealed class Simulator(HttpClient ingest, GameCatalog catalog, IReadOnlyList<SimStudent> students, SimClock clock, TextWriter log, int seed)
{
    private readonly string _run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    private readonly int[] _next = new int[students.Count];
    private long _sent;
    private long _failed;
    private int _eventSeq;
    private CancellationTokenSource? _stop;
    private string? _refusal;

    public long EventsSent => Interlocked.Read(ref _sent);

    /// <summary>Why the server refused the key (401 or 403), which stopped the run; null if it did not.</summary>
    public string? Refusal => Volatile.Read(ref _refusal);

    public async Task RunAsync(TimeSpan? duration, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stop = stop;
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }
        var random = new Random(seed);
        var players = students.Select((s, i) => PlayAsync(i, new Random(random.Next()), stop.Token)).ToList();
        var teacher = TeacherAsync(new Random(random.Next()), stop.Token);
        try
        {
            await Task.WhenAll(players);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await stop.CancelAsync();
        try
        {
            await teacher;
        }
        catch (OperationCanceledException)
        {
        }
        if (Refusal is { } refusal)
        {
            log.WriteLine($"simulate: stopped after {EventsSent} events: {refusal}");
            return;
        }
        log.WriteLine($"simulate: done, {EventsSent} events sent, {Interlocked.Read(ref _failed)} requests failed");
    }

    private async Task PlayAsync(int s, Random random, CancellationToken cancellationToken)
    {
        var student = students[s];
        var points = catalog.Points;
        await clock.DelayAsync(TimeSpan.FromSeconds(random.Next(5, 120)), cancellationToken);
        var stuckDone = false;
        while (_next[s] < points.Count && clock.InRange)
        {
            var index = _next[s];
            var point = points[index];
            if (index == student.StuckAt && !stuckDone)
            {
                stuckDone = true;
                await clock.DelayAsync(TimeSpan.FromMinutes(random.Next(20, 40)), cancellationToken);
            }
            if (point.Start is { } start)
            {
                await SendAsync(student, [Event(start, student)], cancellationToken);
            }
            var work = TimeSpan.FromSeconds((90 + random.Next(0, 300)) * student.Pace);
            var steps = point.Count is null ? 1 : 3;
            for (var step = 0; step < steps; step++)
            {
                await clock.DelayAsync(work / steps, cancellationToken);
                if (point.Count is { } count && random.NextDouble() < student.HelpChance)
                {
                    await SendAsync(student, [Event(count, student)], cancellationToken);
                }
            }
            var completion = point.Complete[random.Next(point.Complete.Count)];
            // Reset by the teacher meanwhile? Then this student goes back instead of completing.
            if (_next[s] != index)
            {
                continue;
            }
            await SendAsync(student, [Event(completion, student)], cancellationToken);
            Interlocked.CompareExchange(ref _next[s], index + 1, index);
            await clock.DelayAsync(TimeSpan.FromSeconds(random.Next(20, 90) * student.Pace), cancellationToken);
        }
    }

    /// <summary>Now and then a teacher sends a student back to an earlier point.</summary>
    private async Task TeacherAsync(Random random, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && clock.InRange)
        {
            await clock.DelayAsync(TimeSpan.FromMinutes(random.Next(15, 30)), cancellationToken);
            var candidates = Enumerable.Range(0, students.Count).Where(i => _next[i] >= 2).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }
            var s = candidates[random.Next(candidates.Count)];
            var from = random.Next(0, _next[s]);
            var reset = new JsonObject
            {
                ["eventType"] = BuiltInEvents.Reset,
                ["data"] = new JsonObject { ["fromPointId"] = catalog.Points[from].Id },
            };
            await SendAsync(students[s], [Complete(reset, students[s])], cancellationToken);
            _next[s] = Math.Min(_next[s], from);
            log.WriteLine($"simulate: the teacher reset {students[s].DisplayName} back to {catalog.Points[from].Id}");
        }
    }

    private JsonObject Event(EventPattern pattern, SimStudent student)
    {
        var data = new JsonObject();
        foreach (var (field, values) in pattern.Data)
        {
            var value = values[0];
            data[field] = value[0] switch
            {
                'n' => JsonValue.Create(double.Parse(MatchValue.Bare(value), CultureInfo.InvariantCulture)),
                'b' => JsonValue.Create(MatchValue.Bare(value) == "true"),
                _ => JsonValue.Create(MatchValue.Bare(value)),
            };
        }
        return Complete(new JsonObject { ["eventType"] = pattern.EventType, ["data"] = data }, student);
    }

    private JsonObject Complete(JsonObject e, SimStudent student)
    {
        e["eventId"] = $"sim-{_run}-{Interlocked.Increment(ref _eventSeq)}";
        e["timestamp"] = clock.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        e["game"] = catalog.Game;
        e["playerId"] = student.PlayerId;
        e["source"] = "cairn-simulator";
        return e;
    }

    private async Task SendAsync(SimStudent student, IReadOnlyList<JsonObject> events, CancellationToken cancellationToken)
    {
        var body = new JsonArray([.. events]);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                using var response = await ingest.PostAsJsonAsync("/v1/events", body, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref _sent, events.Count);
                    return;
                }
                if ((int)response.StatusCode is 401 or 403)
                {
                    // The key is wrong for every student alike: stop the whole run at the first refusal.
                    var detail = await ProblemDetailAsync(response, cancellationToken);
                    if (Interlocked.CompareExchange(ref _refusal,
                        $"the server refused the ingest key ({(int)response.StatusCode} {response.ReasonPhrase}){(detail is null ? "" : ": " + detail)}", null) is null)
                    {
                        await _stop!.CancelAsync();
                    }
                    throw new OperationCanceledException(_stop!.Token);
                }
                if ((int)response.StatusCode is not (503 or 429))
                {
                    log.WriteLine($"simulate: the server answered {(int)response.StatusCode} for {student.DisplayName}'s events");
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            // Same event ids on retry: the server deduplicates, so a retry can never double-count.
            await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), cancellationToken);
        }
        Interlocked.Increment(ref _failed);
    }

    private static async Task<string?> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
